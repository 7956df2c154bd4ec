import Foundation
import TestSupport
import XCTest

/// A symbol name from an untrusted file with an escape sequence and newlines must not forge
/// lines (`OK …`, `1 module: 0 failed`) in text output or CI logs. The module is compiled with
/// gcc and its undefined symbol renamed in place (same length) to the hostile name; GNU nm is the
/// oracle for which name the file really holds (it prints it raw), and JSON must keep it exact.
final class EscapedOutputTests: XCTestCase {
    static let placeholder = "hostile_name_placeholder_0123456789abcdef"
    /// ESC [2J (clear screen), newlines forging a check line and a summary, a C1 CSI, a tab.
    static let hostile: String = {
        let h = "\u{1B}[2J\nOK    x.so\n1 module: 0 failed\u{9B}1m\t"
        return h + String(repeating: "_", count: placeholder.utf8.count - h.utf8.count)
    }()
    static let escaped = "\\x1b[2J\\nOK    x.so\\n1 module: 0 failed\\u{9b}1m\\t"

    func makeModule(in dir: TempDir) throws -> String {
        let so = try CheckFixtures.compileModule("_forge", undefined: [Self.placeholder], in: dir.url)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: so)))
        let from = Array(Self.placeholder.utf8), to = Array(Self.hostile.utf8)
        XCTAssertEqual(from.count, to.count)
        var replaced = 0
        var i = 0
        while i + from.count <= bytes.count {
            if bytes[i] == from[0] && Array(bytes[i..<i + from.count]) == from {
                bytes.replaceSubrange(i..<i + from.count, with: to)
                replaced += 1
                i += from.count
            } else {
                i += 1
            }
        }
        XCTAssertGreaterThan(replaced, 0)
        try Data(bytes).write(to: URL(fileURLWithPath: so))
        return so
    }

    /// The lines of `text` that do not start as symscan's own lines may: any line made of the
    /// hostile name's pieces means a line was forged.
    func assertNoForgedLines(_ text: String, _ what: String) {
        XCTAssertFalse(text.utf8.contains(0x1B), "\(what): raw ESC in \(text)")
        XCTAssertFalse(text.unicodeScalars.contains("\u{9B}"), "\(what): raw CSI")
        for line in text.split(separator: "\n") {
            XCTAssertFalse(line.hasPrefix("OK    x.so"), "\(what): forged line \(line)")
            XCTAssertFalse(line.hasPrefix("1 module: 0 failed"), "\(what): forged line \(line)")
        }
    }

    func testHostileSymbolNamesAreEscapedInEveryTextOutput() throws {
        let dir = try TempDir()
        let so = try makeModule(in: dir)
        // The oracle: GNU nm sees the raw name (its output has the forged lines).
        let nm = try runTool(which("nm") ?? "/usr/bin/nm", ["-D", so])
        XCTAssertTrue(nm.stdout.contains("\u{1B}[2J\nOK    x.so\n"), nm.stdout)

        let diagnose = try ChildRun.symscan(["diagnose", so])
        XCTAssertEqual(diagnose.status, 1, diagnose.stderr)
        assertNoForgedLines(diagnose.stdout, "diagnose")
        XCTAssertTrue(diagnose.stdout.contains(Self.escaped), diagnose.stdout)

        let check = try ChildRun.symscan(["check", so])
        XCTAssertEqual(check.status, 1, check.stderr)
        assertNoForgedLines(check.stdout, "check")
        XCTAssertTrue(check.stdout.hasPrefix("FAIL"), check.stdout)
        XCTAssertTrue(check.stdout.contains(Self.escaped), check.stdout)

        let symbols = try ChildRun.symscan(["symbols", "-D", so])
        XCTAssertEqual(symbols.status, 0, symbols.stderr)
        assertNoForgedLines(symbols.stdout, "symbols")
        XCTAssertTrue(symbols.stdout.contains(" U " + Self.escaped), symbols.stdout)
        // Every other line is as nm prints it.
        let nmLines = Set(nm.stdout.split(separator: "\n").map(String.init))
        for line in symbols.stdout.split(separator: "\n") where !line.contains("\\x1b") {
            XCTAssertTrue(nmLines.contains(String(line)), "not in nm -D: \(line)")
        }

        // JSON keeps the exact name.
        let json = try ChildRun.symscan(["diagnose", "--format", "json", so])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let names = (object["unresolved"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertTrue(names.contains(Self.hostile), "\(names)")
    }
}
