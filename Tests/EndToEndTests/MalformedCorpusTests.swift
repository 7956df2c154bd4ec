import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `symscan symbols` on the committed malformed corpus (TestBinaries/malformed, MANIFEST) and on
/// inputs that are not files at all: one exact error line each, exit status 2, the good files of
/// the same run still listed, and no input ever written.
final class MalformedCorpusTests: XCTestCase {
    let dir = Paths.testBinaries.appendingPathComponent("malformed")
    let good = Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path

    /// (path, expected stderr line) for every MANIFEST entry, in MANIFEST order.
    func manifest() throws -> [(path: String, line: String)] {
        let text = try String(contentsOf: dir.appendingPathComponent("MANIFEST"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { entry in
            let parts = entry.split(separator: "\t", maxSplits: 1).map(String.init)
            let path = dir.appendingPathComponent(parts[0]).path
            return (path, parts[1].replacingOccurrences(of: "symscan: FILE", with: "symscan: " + path))
        }
    }

    func symscan(_ args: [String]) throws -> RunResult {
        try runTool(Paths.symscan.path, args)
    }

    func errorLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("symscan: note:") }
    }

    func testManifestCoversTheCorpus() throws {
        let listed = Set(try manifest().map { URL(fileURLWithPath: $0.path).lastPathComponent })
        let files = Set(Paths.files(in: dir).map(\.lastPathComponent))
            .subtracting(["MANIFEST", "make.py", "good-loader64.so", "gst-count-overflow.a"])
        XCTAssertEqual(listed, files, "every malformed file needs its MANIFEST line")
        XCTAssertGreaterThanOrEqual(listed.count, 30)
    }

    func testEachMalformedFileGivesItsLineAndStatus2() throws {
        for (path, line) in try manifest() {
            let r = try symscan(["symbols", path])
            XCTAssertEqual(r.status, 2, path)
            XCTAssertEqual(errorLines(r.stderr), [line], path)
        }
    }

    func testAllInOneRunWithGoodFilesStillListed() throws {
        let entries = try manifest()
        let goodSO = dir.appendingPathComponent("good-loader64.so").path
        let r = try symscan(["symbols", good] + entries.map(\.path) + [goodSO])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(errorLines(r.stderr), entries.map(\.line))
        // Both good files are listed, under their headings, whatever came between them.
        XCTAssertTrue(r.stdout.contains("\n\(good):\n") || r.stdout.hasPrefix("\(good):\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("U .PyErr_Print"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\(goodSO):\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("D PyInit__demo"), r.stdout)
        // Inside an archive, the damaged member is reported and the intact one still listed.
        let badMember = dir.appendingPathComponent("bad-member.a").path
        XCTAssertTrue(r.stdout.contains("\(badMember)(demo.o):\n"), r.stdout)
        XCTAssertFalse(r.stdout.contains("\(badMember)(names.o):"), r.stdout)
    }

    func testTheGoodLoaderBaseIsGood() throws {
        let r = try symscan(["symbols", "--dynamic", dir.appendingPathComponent("good-loader64.so").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            library path: /usr/lib:/lib
            import file 1: libc.a(shr_64.o)
            0000000000000100 D PyInit__demo
                             U malloc [libc.a(shr_64.o)]

            """)
    }

    /// A FIFO, a symbolic-link loop and (when we can drop root) an unreadable file; a directory
    /// is `symbols`' to walk (an empty one lists nothing), but `diagnose` takes files only.
    func testInputsThatAreNotReadableFiles() throws {
        let tmp = try TempDir()
        let directory = tmp.url.appendingPathComponent("adir").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let fifo = tmp.url.appendingPathComponent("afifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let loopA = tmp.url.appendingPathComponent("loop-a").path
        let loopB = tmp.url.appendingPathComponent("loop-b").path
        XCTAssertEqual(symlink(loopB, loopA), 0)
        XCTAssertEqual(symlink(loopA, loopB), 0)
        let missing = tmp.url.appendingPathComponent("missing.o").path
        let r = try symscan(["symbols", directory, fifo, good, loopA, missing])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(errorLines(r.stderr), [
            "symscan: \(fifo): is a FIFO, not a regular file",
            "symscan: \(loopA): too many levels of symbolic links",
            "symscan: \(missing): no such file or directory",
        ])
        XCTAssertTrue(r.stdout.contains("U .PyErr_Print"))
        let d = try symscan(["diagnose", "--no-python", directory])
        XCTAssertEqual(d.status, 2)
        XCTAssertEqual(errorLines(d.stderr), ["symscan: \(directory): is a directory"])
    }

    func testUnreadableFile() throws {
        let tmp = try TempDir()
        let path = try tmp.write("secret.o", try readBytes(good))
        XCTAssertEqual(chmod(path, 0), 0)
        XCTAssertEqual(chmod(tmp.url.path, 0o755), 0)
        var command = [Paths.symscan.path, "symbols", path, good]
        if geteuid() == 0 {
            // Root reads anything: run symscan as nobody instead, when setpriv is there and
            // nobody can reach the binary.
            guard let setpriv = which("setpriv"),
                  (try? runTool(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", Paths.symscan.path, "--version"]))?.status == 0
            else {
                throw XCTSkip("SKIPPED: running as root, and cannot run symscan as nobody (setpriv missing or the build directory is not readable by others): permission bits are not checked")
            }
            command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        let r = try runTool(command[0], Array(command.dropFirst()))
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(errorLines(r.stderr), ["symscan: \(path): permission denied"])
        XCTAssertTrue(r.stdout.contains("U .PyErr_Print"))
    }

    /// Nothing is written to an input: same bytes and same modification time after a run over
    /// the whole corpus.
    func testInputsAreNeverWritten() throws {
        let inputs = try manifest().map(\.path) + [good, dir.appendingPathComponent("good-loader64.so").path]
        func fingerprint(_ path: String) throws -> String {
            var st = stat()
            XCTAssertEqual(stat(path, &st), 0)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in try readBytes(path) { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            return "\(hash) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }
        let before = try inputs.map(fingerprint)
        _ = try symscan(["symbols"] + inputs)
        _ = try symscan(["symbols", "--dynamic", "--format", "json"] + inputs)
        XCTAssertEqual(try inputs.map(fingerprint), before)
    }
}
