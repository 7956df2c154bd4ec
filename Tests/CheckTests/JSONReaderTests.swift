import Check
import Foundation
import TestSupport
import XCTest

/// The JSON reader of baselines and allow-lists against Python's `json` module: the same text
/// must decode to the same strings, and what Python rejects must be rejected.
final class JSONReaderTests: XCTestCase {
    /// A high surrogate followed by anything but a low one is a lone surrogate: U+FFFD, and the
    /// escape after it is read on its own (this overflowed and killed `check` with SIGILL).
    func testLoneSurrogatesDoNotTrap() throws {
        XCTAssertEqual(try JSONValue.parse(#""\ud800\u0041""#), .string("\u{FFFD}A"))
        XCTAssertEqual(try JSONValue.parse(#""\udbff\uffff""#), .string("\u{FFFD}\u{FFFF}"))
        XCTAssertEqual(try JSONValue.parse(#""\ud800\ud800\udc00""#), .string("\u{FFFD}\u{10000}"))
        XCTAssertEqual(try JSONValue.parse(#""\udc00""#), .string("\u{FFFD}"))
        XCTAssertEqual(try JSONValue.parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertThrowsError(try JSONValue.parse(#""\u+041""#))
        XCTAssertThrowsError(try JSONValue.parse(#""\u-041""#))
        XCTAssertThrowsError(try JSONValue.parse(#""\ud800\u12""#))
    }

    /// Random strings of escapes (valid pairs, lone surrogates, controls, raw UTF-8), decoded by
    /// both readers; Python keeps a lone surrogate, which UTF-8 cannot hold: compared as U+FFFD.
    func testStringsDecodeAsPythonDecodesThem() throws {
        guard let python = which("python3") else { throw XCTSkip("SKIPPED: no python3") }
        var rng = SplitMix64(seed: 21)
        let pieces = [#"\ud800"#, #"\udc00"#, #"\ud83d\ude00"#, #"\u0041"#, #"\u00e9"#, #"\n"#, #"\""#, #"\\"#, #"\/"#,
                      #"\u001b"#, "é", "x", "😀", #"\uD834\uDD1E"#, #"\uDBFF"#, #"\t"#]
        var cases: [String] = []
        for _ in 0..<300 {
            let n = Int(rng.next() % 6) + 1
            cases.append("\"" + (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() + "\"")
        }
        let dir = try TempDir()
        let input = try dir.write("cases.txt", Array(cases.joined(separator: "\n").utf8))
        let script = """
            import json, sys
            for line in open(sys.argv[1], encoding='utf-8').read().split('\\n'):
                s = json.loads(line)
                s = ''.join('\\ufffd' if 0xD800 <= ord(c) < 0xE000 else c for c in s)
                sys.stdout.buffer.write(json.dumps(s, ensure_ascii=False).encode('utf-8') + b'\\n')
            """
        let r = try runTool(python, ["-c", script, input])
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, cases.count)
        for (c, e) in zip(cases, expected) {
            XCTAssertEqual(try JSONValue.parse(c), try JSONValue.parse(e), c)
        }
    }
}
