import Foundation
import MappedFile
import TestSupport
import XCTest

final class ByteRegionTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = URL(fileURLWithPath: try makeScratchDirectory("mf"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
        try? FileManager.default.removeItem(at: dir)
    }

    func file(_ bytes: [UInt8], _ name: String = "f") throws -> MappedFile {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try MappedFile(path: url.path)
    }

    func testIntegersInBothByteOrders() throws {
        let r = try file([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]).region
        XCTAssertEqual(try r.u8(1, "x"), 0x02)
        XCTAssertEqual(try r.u16(0, .big, "x"), 0x0102)
        XCTAssertEqual(try r.u16(0, .little, "x"), 0x0201)
        XCTAssertEqual(try r.u32(1, .big, "x"), 0x02030405)  // unaligned
        XCTAssertEqual(try r.u32(0, .little, "x"), 0x04030201)
        XCTAssertEqual(try r.u64(0, .big, "x"), 0x0102030405060708)
        XCTAssertEqual(try r.u64(0, .little, "x"), 0x0807060504030201)
    }

    func testReadPastEndNamesStructureAndOffset() throws {
        let r = try file([1, 2, 3, 4, 5, 6]).region
        XCTAssertThrowsError(try r.u32(4, .big, "widget header")) { e in
            let e = e as! ParseError
            XCTAssertEqual(e.offset, 4)
            XCTAssertEqual(e.description, "truncated widget header: needs 4 bytes, 2 left in the file (at byte offset 4)")
        }
        XCTAssertThrowsError(try r.u8(-1, "x"))
        XCTAssertThrowsError(try r.u8(Int.max, "x"))
        XCTAssertThrowsError(try r.u64(Int.max - 3, .big, "x"))
    }

    func testTableCountsThatOverflowAreRefused() throws {
        let r = try file(Array(repeating: 0, count: 64)).region
        XCTAssertNoThrow(try r.checkTable(4, count: 3, size: 20, "table"))
        XCTAssertThrowsError(try r.checkTable(4, count: 4, size: 20, "table")) { e in
            XCTAssertTrue("\(e)".contains("4 entries of 20 bytes need 80 bytes, 60 left"), "\(e)")
        }
        XCTAssertThrowsError(try r.checkTable(0, count: Int.max / 2, size: 18, "table")) { e in
            XCTAssertTrue("\(e)".contains("impossible"), "\(e)")
        }
        XCTAssertThrowsError(try r.checkTable(0, count: -1, size: 18, "table"))
    }

    func testStringsAndNamesAreViewsAndNeedTheirNUL() throws {
        let r = try file(Array("abc\0defgh".utf8)).region
        XCTAssertEqual(try r.cString(0, "s").string, "abc")
        XCTAssertEqual(try r.fixedName(4, width: 5, "n").string, "defgh")
        XCTAssertEqual(try r.fixedName(0, width: 8, "n").string, "abc")
        XCTAssertThrowsError(try r.cString(4, "name")) { e in
            XCTAssertEqual("\(e)", "name: string has no terminating NUL before the end of the file (at byte offset 4)")
        }
        XCTAssertThrowsError(try r.cString(9, "name"))
    }

    func testSlicesReportAbsoluteOffsets() throws {
        let r = try file(Array(repeating: 7, count: 32)).region
        let member = try r.slice(10, 8, "member")
        XCTAssertEqual(member.start, 10)
        XCTAssertEqual(try member.u8(7, "x"), 7)
        XCTAssertThrowsError(try member.u16(7, .big, "field")) { e in
            XCTAssertEqual((e as! ParseError).offset, 17)
        }
        XCTAssertThrowsError(try r.slice(30, 8, "member"))
    }

    func testNameViewHashesAndComparesByBytes() throws {
        let r = try file(Array("xyz\0xyz\0xy\0".utf8)).region
        let a = try r.cString(0, "a"), b = try r.cString(4, "b"), c = try r.cString(8, "c")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(Set([a, b, c]).count, 2)
        XCTAssertTrue(c < a)
        XCTAssertTrue(a.hasPrefix("xy"))
        XCTAssertEqual(a.dropFirst().string, "yz")
    }

    func testEmptyFileMapsToEmptyRegion() throws {
        let f = try file([])
        XCTAssertEqual(f.size, 0)
        XCTAssertThrowsError(try f.region.u8(0, "first byte"))
    }

    func testNonRegularFilesAreRefusedWithTheReason() throws {
        XCTAssertThrowsError(try MappedFile(path: dir.path)) { XCTAssertEqual("\($0)", "is a directory") }
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try MappedFile(path: fifo)) { XCTAssertEqual("\($0)", "is a FIFO, not a regular file") }
        XCTAssertThrowsError(try MappedFile(path: dir.appendingPathComponent("missing").path)) {
            XCTAssertEqual("\($0)", "no such file or directory")
        }
        let a = dir.appendingPathComponent("loop-a").path, b = dir.appendingPathComponent("loop-b").path
        XCTAssertEqual(symlink(a, b), 0)
        XCTAssertEqual(symlink(b, a), 0)
        XCTAssertThrowsError(try MappedFile(path: a)) { XCTAssertEqual("\($0)", "too many levels of symbolic links") }
    }
}
