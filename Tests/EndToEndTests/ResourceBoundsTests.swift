import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Sizes and counts read from a file are never trusted for allocation: a file of a few KiB that
/// claims 4 GiB of contents, or billions of entries, costs no more memory than a good file.
final class ResourceBoundsTests: XCTestCase {
    let malformed = Paths.testBinaries.appendingPathComponent("malformed")

    /// Peak resident set size in KiB of one run of symscan, from `wait4` on that child alone.
    func peakKiB(_ args: [String]) throws -> Int {
        var pid: pid_t = 0
        let argv = ([Paths.symscan.path] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        XCTAssertEqual(posix_spawn(&pid, Paths.symscan.path, &actions, nil, argv, environ), 0)
        var status: Int32 = 0
        var usage = rusage()
        XCTAssertEqual(wait4(pid, &status, 0, &usage), pid)
        return usage.ru_maxrss
    }

    func testFilesClaimingGigabytesAllocateNothingBig() throws {
        let small = Paths.testBinaries.appendingPathComponent("xcoff32/names.o").path
        let baseline = try peakKiB(["symbols", small])
        let liars = ["section-4gib.o", "member-4gib.a", "nsyms-wraps-32bit.o", "loader-nsyms-wraps-32bit.so",
                     "strtab-too-long.o", "chain-past-end.a"].map { malformed.appendingPathComponent($0).path }
        for path in liars { XCTAssertLessThan(try readBytes(path).count, 8192, path) }
        let peak = try peakKiB(["symbols"] + liars)
        // The baseline is the Swift runtime and the tool itself (about 10-20 MiB); allow 8 MiB more.
        XCTAssertLessThan(peak, baseline + 8 * 1024, "peak \(peak) KiB against \(baseline) KiB for a good small file")
    }
}
