import Foundation
import MappedFile
import TestSupport
import XCTest

/// `MappedFile.release`: pages leave the resident set, and the bytes read afterwards are the
/// file's, unchanged.
final class ReleaseTests: XCTestCase {
    /// Resident pages of this process (`/proc/self/statm`, second field).
    private func residentPages() throws -> Int {
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/statm"))
        defer { try? handle.close() }
        let statm = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return Int(statm.split(separator: " ")[1])!
    }

    private func sum(_ r: ByteRegion) -> Int {
        r.rawBytes.reduce(0) { $0 &+ Int($1) }
    }

    func testReleasedPagesLeaveTheResidentSetAndReadBackTheSame() throws {
        let pages = 2048
        var bytes = [UInt8](repeating: 0, count: pages * 4096)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        let path = NSTemporaryDirectory() + "symscan-release-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let expected = bytes.reduce(0) { $0 &+ Int($1) }
        bytes = []

        let file = try MappedFile(path: path)
        XCTAssertTrue(file.isGuardedMapping)
        XCTAssertEqual(sum(file.region), expected)            // every page touched
        let touched = try residentPages()
        // A range that is not page-aligned: only the whole pages inside it go.
        file.release(offset: 100, length: file.size - 200)
        let released = try residentPages()
        XCTAssertLessThan(released, touched - pages * 3 / 4, "resident pages: \(touched) → \(released)")
        XCTAssertEqual(sum(file.region), expected, "read again from the page cache")

        // Out of range or empty: nothing happens.
        file.release(offset: -1, length: 10)
        file.release(offset: 0, length: file.size + 1)
        file.release(offset: 10, length: 0)
        XCTAssertEqual(sum(file.region), expected)
    }

    func testBytesInMemoryAreLeftAlone() {
        let file = MappedFile(bytes: [UInt8](repeating: 7, count: 3 * 4096))
        file.release(offset: 0, length: file.size)
        XCTAssertEqual(sum(file.region), 7 * 3 * 4096)
    }
}

/// `MappedFile.leaveMappingsToExit`: mappings are kept at `deinit` while the budget lasts, and
/// unmapped as usual past it, so that a sweep keeps its memory bounded.
final class ExitBudgetTests: XCTestCase {
    /// Whether `/proc/self/maps` names `path` (read to its end: procfs files report size 0).
    private func isMapped(_ path: String) throws -> Bool {
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).contains(path)
    }

    func testMappingsAreKeptWhileTheBudgetLastsAndUnmappedPastIt() throws {
        let dir = try makeScratchDirectory("budget")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let small = dir + "/small", large = dir + "/large", after = dir + "/after"
        try Data(repeating: 1, count: 40_000).write(to: URL(fileURLWithPath: small))
        try Data(repeating: 2, count: 80_000).write(to: URL(fileURLWithPath: large))
        try Data(repeating: 3, count: 10_000).write(to: URL(fileURLWithPath: after))
        MappedFile.leaveMappingsToExit(upTo: 100_000)
        defer { MappedFile.leaveMappingsToExit(upTo: 0) }

        for (path, kept) in [(small, true), (large, false), (after, true)] {
            do {
                let file = try MappedFile(path: path)
                XCTAssertTrue(file.isGuardedMapping)
                XCTAssertTrue(try isMapped(path))
            }
            XCTAssertEqual(try isMapped(path), kept, "\(path): 100,000 bytes of budget, 40,000 then 80,000 then 10,000 asked")
        }
    }
}
