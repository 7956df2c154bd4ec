import Foundation
import TestSupport
import XCTest

/// `link-line` reads pasted text and response files from untrusted places: each response file
/// is expanded once, a cycle is one error line naming it (GCC and GNU ld, the oracle, refuse the
/// same files: "too many @-files encountered"), text past the bound is refused without reading
/// it all, and a command with nothing to diagnose says so.
final class LinkTextBoundsTests: XCTestCase {
    @discardableResult
    func write(_ dir: TempDir, _ name: String, _ text: String) throws -> String {
        try dir.write(name, Array(text.utf8))
    }

    func assertOneLineExit2(_ r: ChildRun, _ what: String, _ context: String) {
        XCTAssertEqual(r.status, 2, "\(context): \(r.stdout) \(r.stderr)")
        XCTAssertEqual(r.signal, 0, context)
        XCTAssertEqual(r.errorLines.count, 1, "\(context): \(r.stderr)")
        XCTAssertTrue(r.stderr.contains(what), "\(context): \(r.stderr)")
    }

    func gccRefuses(_ args: [String], in dir: TempDir) throws {
        guard let gcc = which("gcc") ?? which("cc") else { return }
        let r = try ChildRun.run(gcc, args + ["-o", dir.url.appendingPathComponent("x.so").path])
        XCTAssertNotEqual(r.status, 0, "gcc accepted \(args)")
        XCTAssertTrue(r.stderr.contains("@-files") || r.stderr.contains("error"), r.stderr)
    }

    func testSelfIncludingResponseFileIsOneErrorQuickly() throws {
        let dir = try TempDir()
        let rsp = dir.url.appendingPathComponent("self.rsp").path
        try write(dir, "self.rsp", "@\(rsp) @\(rsp) @\(rsp) a.o\n")
        try gccRefuses(["-shared", "@\(rsp)"], in: dir)
        let r = try ChildRun.symscan(["link-line", "cc -shared -o x.so @\(rsp)"])
        assertOneLineExit2(r, "response file cycle: @\(rsp) → @\(rsp)", "self-including")
        XCTAssertLessThan(r.seconds, 1, "\(r.seconds) s")
    }

    func testLoopIsNamedNotReportedAsMissing() throws {
        let dir = try TempDir()
        let a = dir.url.appendingPathComponent("a.rsp").path, b = dir.url.appendingPathComponent("b.rsp").path
        try write(dir, "a.rsp", "x.o @\(b)\n")
        try write(dir, "b.rsp", "y.o @\(a)\n")
        try gccRefuses(["-shared", "@\(a)"], in: dir)
        let r = try ChildRun.symscan(["link-line", "cc -shared -o x.so @\(a)"])
        assertOneLineExit2(r, "response file cycle: @\(a) → @\(b) → @\(a)", "a → b → a")
        XCTAssertFalse(r.stderr.contains("no such file"), r.stderr)
    }

    func testResponseFileNamedTwiceIsAnError() throws {
        let dir = try TempDir()
        let a = try write(dir, "a.rsp", "x.o\n")
        let r = try ChildRun.symscan(["link-line", "cc -shared -o x.so @\(a) @\(a)"])
        assertOneLineExit2(r, "named more than once", "twice")
    }

    func testEndlessInputIsRefusedAtTheBound() throws {
        for args in [["link-line", "@/dev/zero"], ["link-line", "cc -shared -o x.so @/dev/zero"]] {
            let r = try ChildRun.symscan(args)
            assertOneLineExit2(r, "bound for text inputs", args.joined(separator: " "))
            XCTAssertLessThan(r.seconds, 1, "\(args): \(r.seconds) s")
            XCTAssertLessThan(r.peakKiB, 100 * 1024, "\(args): peak \(r.peakKiB) KiB")
        }
        let stdin = try ChildRun.symscan(["link-line", "-"], stdinPath: "/dev/zero")
        assertOneLineExit2(stdin, "bound for text inputs", "stdin")
        XCTAssertLessThan(stdin.peakKiB, 100 * 1024)
        // The bound is an environment setting.
        let dir = try TempDir()
        let text = try write(dir, "line.txt", "cc -shared -o x.so " + String(repeating: "a.o ", count: 1000) + "\n")
        let small = try ChildRun.symscan(["link-line", "@\(text)"], environment: ["SYMSCAN_TEXT_LIMIT": "1K"])
        assertOneLineExit2(small, "1024-byte bound", "SYMSCAN_TEXT_LIMIT")
    }

    /// An AIX import list is a text input too: past the bound it is one error, not read.
    func testImportListOverTheBoundIsAnError() throws {
        let dir = try TempDir()
        let exp = try write(dir, "big.exp", "#!libfoo.a(shr.o)\n" + (0..<200).map { "sym_\($0)\n" }.joined())
        let r = try ChildRun.symscan(["symbols", exp], environment: ["SYMSCAN_TEXT_LIMIT": "1K"])
        assertOneLineExit2(r, "1024-byte bound", ".exp")
        let fine = try ChildRun.symscan(["symbols", exp])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertEqual(fine.stdout.split(separator: "\n").count, 200)
    }

    func testCommandWithoutInputsSaysSo() throws {
        let r = try ChildRun.symscan(["link-line", "cc -shared -o x.so -lfoo"])
        assertOneLineExit2(r, "nothing to diagnose", "no inputs")
    }
}
