import Foundation
import TestSupport
import XCTest

/// `symscan providers` as a user runs it: a mistyped directory or machine is said, not taken
/// for "no provider".
final class ProvidersCommandTests: XCTestCase {
    var elf64: String { Paths.testBinaries.appendingPathComponent("elf64").path }

    func testFindsProviders() throws {
        let r = try runSymscan(["providers", "--no-cache", "--lib-dir", elf64, "PyInit__demo", "f", "no_such_name"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, """
            PyInit__demo: \(elf64)/_demo.so \(elf64)/libnames.a
            f: \(elf64)/libnames.a
            no_such_name:

            """)
    }

    /// A directory that is not there (or not a directory) gets one line and exit status 2; the
    /// other directories still answer.
    func testMissingDirectoryIsAnError() throws {
        let dir = try TempDir()
        let file = try dir.write("notes.txt", Array("x\n".utf8))
        let gone = dir.url.appendingPathComponent("gone").path
        let r = try runSymscan(["providers", "--no-cache", "--lib-dir", gone, "--lib-dir", file, "--lib-dir", elf64, "f"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "f: \(elf64)/libnames.a\n")
        XCTAssertEqual(r.stderr, """
            symscan: \(gone): cannot read the library directory: No such file or directory
            symscan: \(file): not a directory (--lib-dir)

            """)
    }

    func testMachineIsChecked() throws {
        let bogus = try runSymscan(["providers", "--lib-dir", elf64, "--machine", "x86_64", "f"])
        XCTAssertEqual(bogus.status, 2)
        XCTAssertTrue(bogus.stderr.contains("unknown machine 'x86_64'"), bogus.stderr)
        XCTAssertTrue(bogus.stderr.contains("x86-64"), bogus.stderr)
        let xcoff = try runSymscan(["providers", "--lib-dir", elf64, "--family", "xcoff64", "--machine", "x86-64", "f"])
        XCTAssertEqual(xcoff.status, 2)
        XCTAssertTrue(xcoff.stderr.contains("--machine applies to ELF libraries only"), xcoff.stderr)
        let ok = try runSymscan(["providers", "--no-cache", "--lib-dir", elf64, "--machine", "x86-64", "f"])
        XCTAssertEqual(ok.stdout, "f: \(elf64)/libnames.a\n", ok.stderr)
        let none = try runSymscan(["providers", "--no-cache", "--lib-dir", elf64, "--machine", "aarch64", "f"])
        XCTAssertEqual(none.stdout, "f:\n")
        XCTAssertEqual(none.status, 1)
    }
}
