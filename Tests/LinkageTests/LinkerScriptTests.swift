import Foundation
@testable import Linkage
import MappedFile
import TestSupport
import XCTest

/// GNU ld scripts where a library is expected: glibc's own, and malformed or looping ones.
final class LinkerScriptTests: XCTestCase {
    func parse(_ text: String) throws -> LinkerScript? {
        try LinkerScript.parse(MappedFile(bytes: Array(text.utf8)).region)
    }

    /// This machine's libc.so and libm.so, read as ld reads them.
    func testGlibcScripts() throws {
        for name in ["libc.so", "libm.so"] {
            let path = "/usr/lib/x86_64-linux-gnu/\(name)"
            guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("SKIPPED: no \(path)") }
            let script = try XCTUnwrap(try LinkerScript.parse(MappedFile(path: path).region), name)
            XCTAssertEqual(script.entries.first, .groupStart, name)
            XCTAssertEqual(script.entries.last, .groupEnd, name)
            let files = script.entries.compactMap { e -> (String, Bool)? in if case .file(let f, let n) = e { return (f, n) }; return nil }
            XCTAssertTrue(files.contains { $0.0.hasSuffix(name + ".6") && !$0.1 }, "\(name): \(files)")
            XCTAssertTrue(files.contains { $0.1 }, "\(name): an AS_NEEDED member: \(files)")
        }
    }

    func testCommandsCommentsQuotesAndLibraries() throws {
        let s = try XCTUnwrap(try parse("""
            /* a comment ( with parentheses ) */ OUTPUT_FORMAT(elf64-x86-64) OUTPUT_ARCH(i386:x86-64)
            SEARCH_DIR("=/usr/local/lib") INPUT(-lz "with space.a", plain.o)
            GROUP ( =/lib/libc.so.6 AS_NEEDED ( -lmvec ) )
            """))
        XCTAssertEqual(s.searchDirectories, ["=/usr/local/lib"])
        XCTAssertEqual(s.entries, [.library("z", asNeeded: false), .file("with space.a", asNeeded: false), .file("plain.o", asNeeded: false),
                                   .groupStart, .file("=/lib/libc.so.6", asNeeded: false), .library("mvec", asNeeded: true), .groupEnd])
        XCTAssertNil(try parse("just some text"), "not a script")
        XCTAssertNil(try parse(""), "empty")
    }

    func testMalformedScriptsSayWhereAndWhat() throws {
        for (text, offset, problem) in [("GROUP ( a.so", 0, "no closing parenthesis"), ("/* open comment", 0, "no closing */"),
                                        ("INPUT ( \"no end )", 8, "no closing quote"), ("GROUP a.so", 0, "expected ( after GROUP")] {
            XCTAssertThrowsError(try parse(text), text) { e in
                let p = e as? ParseError
                XCTAssertEqual(p?.offset, offset, text)
                XCTAssertEqual(p?.problem, problem, text)
            }
        }
    }

    /// A script given as -l: followed at its place. One that names itself stops (a note), and a
    /// malformed one is an input error with its offset, as ld stops on it too.
    func testScriptsAsLibrariesAgainstGNULd() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        let dir = try TempDir()
        let d = dir.url.path
        let src = try dir.write("m.c", Array("double cbrt(double); double f(double x) { return cbrt(x); }\n".utf8))
        XCTAssertEqual(try runTool(cc, ["-fPIC", "-c", src, "-o", "\(d)/m.o"]).status, 0)
        _ = try dir.write("libloop.so", Array("INPUT ( -lloop libm.so.6 )\n".utf8))
        _ = try dir.write("libbad.so", Array("GROUP ( libm.so.6 \n".utf8))
        var base = DiagnoseOptions(inputs: [])
        base.python = .none
        // GNU ld fails on the malformed script; symscan reports it as an unusable input.
        let bad = ["-shared", "-Wl,-z,defs", "-o", "\(d)/x.so", "\(d)/m.o", "-L\(d)", "-lbad"]
        XCTAssertNotEqual(try runTool(cc, bad).status, 0)
        let rb = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: "gcc " + bad.joined(separator: " ")), base: base))
        XCTAssertEqual(rb.diagnose.errors.map(\.description), ["\(d)/libbad.so: malformed linker script: linker script GROUP: no closing parenthesis (at byte offset 0)"])
        // The looping script: symscan stops and still finds libm through it.
        let loop = ["-shared", "-Wl,-z,defs", "-o", "\(d)/x.so", "\(d)/m.o", "-L\(d)", "-lloop"]
        let rl = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: "gcc " + loop.joined(separator: " ")), base: base))
        XCTAssertTrue(rl.diagnose.notes.contains { $0.contains("in a loop") }, "\(rl.diagnose.notes)")
        XCTAssertEqual(rl.diagnose.diagnosis?.unresolved.filter { !$0.weak }.map(\.name), [])
    }
}
