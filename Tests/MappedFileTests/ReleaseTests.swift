import Foundation
import MappedFile
import XCTest

/// `MappedFile.release`: pages leave the resident set, and the bytes read afterwards are the
/// file's, unchanged.
final class ReleaseTests: XCTestCase {
    /// Resident pages of this process (`/proc/self/statm`, second field).
    private func residentPages() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
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
