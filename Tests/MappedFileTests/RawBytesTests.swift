import MappedFile
import TestSupport
import XCTest

/// The raw-bytes bridge to C readers: pointers handed back are accepted only inside the region.
final class RawBytesTests: XCTestCase {
    func testOffsetOfPointerChecksBounds() throws {
        let file = try MappedFile(path: Paths.testBinaries.path + "/elf64/names.o")
        let whole = file.region
        let base = try XCTUnwrap(whole.rawBytes.baseAddress)
        XCTAssertEqual(whole.rawBytes.count, file.size)
        XCTAssertEqual(whole.offset(of: base + 10, length: 4), 10)
        XCTAssertNil(whole.offset(of: base + file.size - 2, length: 4))
        let part = try whole.slice(64, 32, "test slice")
        XCTAssertEqual(part.offset(of: base + 64, length: 32), 0)
        XCTAssertNil(part.offset(of: base + 63, length: 1))
        XCTAssertNil(part.offset(of: base + 96, length: 1))
    }
}
