import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `--output` and `--write-baseline` never replace what is not a regular file: a device stays a
/// device, a FIFO's reader gets the report, a symbolic link still links (its target gets the
/// report), `/dev/stdout` is the process's own stdout, a directory is an error. Everything runs
/// in a private temporary directory (never the real /dev); the file system is the oracle.
final class SafeOutputTests: XCTestCase {
    var dir: TempDir!
    var module = ""
    /// The report symscan prints on stdout for `module`: what every destination must receive.
    var expected = ""

    override func setUpWithError() throws {
        dir = try TempDir()
        module = try CheckFixtures.compileModule("_safeout", undefined: ["missing_function"], in: dir.url)
        let r = try ChildRun.symscan(["diagnose", module])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("missing_function"), r.stdout)
        expected = r.stdout
    }

    func path(_ name: String) -> String { dir.url.appendingPathComponent(name).path }

    func fileType(_ p: String) -> mode_t {
        var st = stat()
        XCTAssertEqual(lstat(p, &st), 0, p)
        return st.st_mode & S_IFMT
    }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".symscan-") }
    }

    func testCharacterDeviceStaysADevice() throws {
        let dev = path("null")
        // The null device (1, 3), made in the temporary directory.
        guard mknod(dev, S_IFCHR | 0o666, (1 << 8) | 3) == 0 else { throw XCTSkip("SKIPPED: mknod needs root (\(String(cString: strerror(errno))))") }
        let r = try ChildRun.symscan(["diagnose", "--output", dev, module])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(fileType(dev), S_IFCHR, "the device was replaced")
        let b = try ChildRun.symscan(["check", "--write-baseline", dev, module])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(fileType(dev), S_IFCHR, "--write-baseline replaced the device")
        XCTAssertEqual(try leftovers(), [])
    }

    func testFIFOReaderGetsTheReport() throws {
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // The reader is open before symscan starts (a report of a few hundred bytes fits the pipe).
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let r = try ChildRun.symscan(["diagnose", "--output", fifo, module])
        XCTAssertEqual(r.status, 1, r.stderr)
        var got = [UInt8](repeating: 0, count: 1 << 16)
        let n = read(reader, &got, got.count)
        XCTAssertEqual(String(decoding: got.prefix(max(n, 0)), as: UTF8.self), expected)
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testFIFOWithoutReaderIsOneErrorLine() throws {
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let r = try ChildRun.symscan(["diagnose", "--output", fifo, module])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("no process reads the FIFO"), r.stderr)
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testSymlinkIsFollowedAndKept() throws {
        let target = path("report.txt")
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink("report.txt", path("link")), 0)
        // A dangling link: its target is created.
        XCTAssertEqual(symlink("sub/new.txt", path("dangling")), 0)
        try FileManager.default.createDirectory(atPath: path("sub"), withIntermediateDirectories: false)
        for (link, file) in [("link", target), ("dangling", path("sub/new.txt"))] {
            let r = try ChildRun.symscan(["diagnose", "--output", path(link), module])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(fileType(path(link)), S_IFLNK, "\(link) was replaced")
            XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), expected)
        }
        XCTAssertEqual(try leftovers(), [])
    }

    func testDevStdoutAndDashWriteToStdout() throws {
        XCTAssertEqual(symlink("/dev/stdout", path("stdout-link")), 0)
        for dest in [path("stdout-link"), "-", "/dev/stdout"] {
            let captured = path("captured.txt")
            let r = try ChildRun.symscan(["diagnose", "--output", dest, module], stdoutPath: captured)
            XCTAssertEqual(r.status, 1, "\(dest): \(r.stderr)")
            XCTAssertEqual(r.stdout, expected, dest)
        }
        XCTAssertEqual(fileType(path("stdout-link")), S_IFLNK)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("stdout-link")), "/dev/stdout")
    }

    func testDirectoryIsAnError() throws {
        try FileManager.default.createDirectory(atPath: path("d"), withIntermediateDirectories: false)
        for args in [["diagnose", "--output", path("d"), module], ["check", "--write-baseline", path("d"), module]] {
            let r = try ChildRun.symscan(args)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("is a directory"), r.stderr)
        }
        XCTAssertEqual(fileType(path("d")), S_IFDIR)
    }

    func testRegularFileIsReplacedWholeAndNothingIsLeftBehind() throws {
        let report = path("report.txt")
        try String(repeating: "previous report\n", count: 1000).write(toFile: report, atomically: false, encoding: .utf8)
        let r = try ChildRun.symscan(["diagnose", "--output", report, module])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), expected)
        XCTAssertEqual(try leftovers(), [])
    }

    /// SIGTERM at varying moments of a run that writes a report: no temporary file survives.
    func testTerminatedRunsLeaveNoTemporaryFile() throws {
        let report = path("report.json")
        for round in 0..<12 {
            var killed = false
            let delay = useconds_t(2_000 + round * 4_000)
            _ = try ChildRun.run(Paths.symscan.path, ["diagnose", "--format", "json", "--output", report, module]) { pid in
                usleep(delay)
                killed = kill(pid, SIGTERM) == 0
            }
            _ = killed
            XCTAssertEqual(try leftovers(), [], "round \(round)")
        }
    }
}
