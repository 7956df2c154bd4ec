import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// An input that cannot be read is exit 2 with one line naming it, in every subcommand, whether
/// it is an operand or an option's path (`-L`, `--lib`, `--lib-dir`), or under a directory `check`
/// walks. Run as a user the permissions apply to: `nobody` through setpriv(1) when the tests run
/// as root (as in CI containers), the test's own user otherwise. `cat`/`ls` as the same user are
/// the oracle that the path really is unreadable.
final class UnreadableInputTests: XCTestCase {
    var dir: TempDir!
    var module = ""
    var prefix: [String] = []

    override func setUpWithError() throws {
        dir = try TempDir()
        if getuid() == 0 {
            guard let setpriv = which("setpriv") else { throw XCTSkip("SKIPPED: running as root without setpriv(1)") }
            prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
            // nobody must reach the directory and the module.
            chmod(dir.url.path, 0o755)
        }
        module = try CheckFixtures.compileModule("_unread", undefined: ["missing_function"], in: dir.url)
        chmod(module, 0o755)
    }

    func path(_ name: String) -> String { dir.url.appendingPathComponent(name).path }

    /// Runs `symscan args` as the unprivileged user.
    func run(_ args: [String]) throws -> ChildRun {
        let argv = prefix + [Paths.symscan.path] + args
        return try ChildRun.run(argv[0], Array(argv.dropFirst()))
    }

    /// The oracle: `tool path` fails for the same user.
    func assertUnreadableByUser(_ tool: String, _ path: String) throws {
        let argv = prefix + [which(tool) ?? "/bin/\(tool)", path]
        let r = try ChildRun.run(argv[0], Array(argv.dropFirst()))
        XCTAssertNotEqual(r.status, 0, "\(tool) \(path) succeeded: the test cannot make it unreadable")
    }

    func assertOneErrorLine(_ r: ChildRun, naming what: String, _ context: String) {
        XCTAssertEqual(r.status, 2, "\(context): \(r.stdout) \(r.stderr)")
        XCTAssertEqual(r.signal, 0, context)
        let named = r.errorLines.filter { $0.contains(what) }
        XCTAssertEqual(named.count, 1, "\(context): \(r.stderr)")
        XCTAssertTrue(named.first?.lowercased().contains("permission denied") ?? false, "\(context): \(r.stderr)")
    }

    func testUnreadableDirectoriesAndFilesAreExit2Everywhere() throws {
        let lockedDir = path("locked")
        try FileManager.default.createDirectory(atPath: lockedDir, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: module, toPath: lockedDir + "/libfoo.so")
        chmod(lockedDir, 0)
        let lockedLib = path("libbar.so")
        try FileManager.default.copyItem(atPath: module, toPath: lockedLib)
        chmod(lockedLib, 0)
        let tree = path("tree")
        try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: module, toPath: tree + "/sub/_unread.so")
        chmod(tree, 0o755)
        chmod(tree + "/sub", 0)
        defer {
            chmod(lockedDir, 0o755)
            chmod(tree + "/sub", 0o755)
        }
        try assertUnreadableByUser("ls", lockedDir)
        try assertUnreadableByUser("cat", lockedLib)
        try assertUnreadableByUser("ls", tree + "/sub")

        assertOneErrorLine(try run(["diagnose", "-L", lockedDir, "-l", "foo", module]), naming: lockedDir, "diagnose -L")
        assertOneErrorLine(try run(["diagnose", "--lib", lockedLib, module]), naming: lockedLib, "diagnose --lib")
        assertOneErrorLine(try run(["diagnose", lockedLib]), naming: lockedLib, "diagnose FILE")
        assertOneErrorLine(try run(["check", "-L", lockedDir, module]), naming: lockedDir, "check -L")
        assertOneErrorLine(try run(["check", "--lib", lockedLib, module]), naming: lockedLib, "check --lib")
        assertOneErrorLine(try run(["check", tree]), naming: tree + "/sub", "check DIR")
        assertOneErrorLine(try run(["symbols", lockedLib]), naming: lockedLib, "symbols FILE")
        assertOneErrorLine(try run(["providers", "--no-cache", "--lib-dir", lockedDir, "missing_function"]), naming: lockedDir, "providers --lib-dir")
    }

    /// A module under a path longer than PATH_MAX (reached by `check`'s walk) is reported, as
    /// `symbols` reports it, not skipped without a word.
    func testPathsLongerThanPathMaxAreReported() throws {
        let root = path("deep")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false)
        // rm(1) removes a tree deeper than PATH_MAX; the TempDir's removal might not.
        defer { _ = try? runTool("/bin/rm", ["-rf", root]) }
        var fd = open(root, O_RDONLY | O_DIRECTORY)
        let component = String(repeating: "d", count: 200)
        for _ in 0..<22 {
            XCTAssertEqual(mkdirat(fd, component, 0o755), 0)
            let next = openat(fd, component, O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = next
        }
        let bytes = try readBytes(module)
        let out = openat(fd, "_deep.so", O_WRONLY | O_CREAT, 0o755)
        XCTAssertEqual(bytes.withUnsafeBytes { write(out, $0.baseAddress, $0.count) }, bytes.count)
        close(out)
        close(fd)
        let r = try ChildRun.symscan(["check", root])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("File name too long") || r.stderr.contains("file name too long"), r.stderr)
        let symbols = try ChildRun.symscan(["symbols", root])
        XCTAssertEqual(symbols.status, 2, "the oracle of the walk: symbols reports it too")
    }
}
