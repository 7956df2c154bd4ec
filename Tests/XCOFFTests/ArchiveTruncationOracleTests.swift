import Foundation
import ImageLoader
import MappedFile
import TestSupport
import XCTest

/// AIX archives cut short after their members, in the member table and global symbol tables
/// the file header points to, against independent readers that refuse them: LLVM 21's llvm-nm
/// for big archives (it checks both global symbol tables when it opens one, not the member
/// table) and GNU nm for small ones (it refuses a small archive with any table cut). Not used
/// as oracles, since they accept these cuts: llvm-nm 14, and GNU nm on big archives with only a
/// 64-bit table (it reads the 32-bit one).
final class ArchiveTruncationOracleTests: XCTestCase {
    /// A decimal field of an archive header, read here without the reader under test.
    func decimal(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        Int(String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    /// Cuts from `start` to the end of the file: every 11th byte, and around each table's start
    /// (each cut runs an oracle, 40-80 ms).
    func cuts(from start: Int, to end: Int, around tables: [Int]) -> [Int] {
        var cuts = Set(stride(from: start, to: end, by: 11))
        for t in tables where t != 0 {
            cuts.formUnion([t - 1, t, t + 1, t + 111, t + 112, t + 113, t + 114, t + 115].filter { $0 >= start && $0 < end })
        }
        return cuts.sorted()
    }

    func testBigArchiveCutInItsTablesFailsAsItDoesForLLVM21() throws {
        let blame = /(32|64)-bit global symbol table (header|content) at offset 0x([0-9a-f]+)/
        let dir = try TempDir()
        var compared = 0
        for fixture in ["xcoff64/libnames.a", "xcoff32/libnames.a"] {
            let whole = Paths.testBinaries.appendingPathComponent(fixture).path
            let bytes = try readBytes(whole)
            XCTAssertEqual(try runTool(llvmNM, [whole]).status, 0, "the oracle reads the whole archive")
            XCTAssertEqual(ImageLoader.load(path: whole).errors.count, 0)
            let memberTable = decimal(bytes, 8..<28)
            // Offsets of the global symbol tables and of the header fields that hold them.
            let tables = [32: (offset: decimal(bytes, 28..<48), field: 28), 64: (offset: decimal(bytes, 48..<68), field: 48)]
            XCTAssertGreaterThan(memberTable, decimal(bytes, 88..<108), "\(fixture): the tables follow the last member")
            for n in cuts(from: memberTable, to: bytes.count, around: [memberTable] + tables.values.map(\.offset)) {
                let path = try dir.write("cut.a", Array(bytes[0..<n]))
                let llvm = try runTool(llvmNM, [path])
                XCTAssertNotEqual(llvm.status, 0, "\(fixture) cut at \(n): llvm-nm 21 accepted it")
                let ours = ImageLoader.load(path: path)
                XCTAssertTrue(ours.images.isEmpty, "\(fixture) cut at \(n) gave images")
                XCTAssertEqual(ours.errors.count, 1, "\(fixture) cut at \(n): \(ours.errors)")
                guard let error = ours.errors.first, let offset = error.offset else { continue }
                XCTAssertLessThanOrEqual(offset, n)
                // Where both blame the same global symbol table, they agree on where it is cut.
                guard let m = llvm.stderr.firstMatch(of: blame), let bits = Int(m.1),
                      error.message.contains("\(bits)-bit global symbol table"),
                      let at = Int(m.3, radix: 16), let table = tables[bits] else { continue }
                XCTAssertEqual(at, m.2 == "content" ? table.offset + 114 : table.offset, "\(fixture) cut at \(n)")
                if m.2 == "content" {
                    XCTAssertTrue(error.message.hasPrefix("truncated contents of AIX big archive \(bits)-bit global symbol table"), error.message)
                    XCTAssertEqual(offset, at, "\(fixture) cut at \(n): \(error)")
                } else if n <= at {
                    XCTAssertTrue(error.message.contains("is past the end of the \(n)-byte archive"), error.message)
                    XCTAssertEqual(offset, table.field, "\(fixture) cut at \(n): the header field is to blame: \(error)")
                } else {
                    // Cut inside the table's header, or in the "`\n" after it.
                    XCTAssertTrue([at, at + 112].contains(offset), "\(fixture) cut at \(n): \(error)")
                }
                compared += 1
            }
        }
        print("cuts where both blame the same global symbol table: \(compared)")
        XCTAssertGreaterThan(compared, 40)
    }

    func testSmallArchiveCutInItsTablesFailsAsItDoesForGNUNM() throws {
        let target = "--target=aixcoff-rs6000"
        let whole = Paths.testBinaries.appendingPathComponent("xcoff32/libnames-small.a").path
        let bytes = try readBytes(whole)
        XCTAssertEqual(try runTool("/usr/bin/nm", [target, whole]).status, 0, "the oracle reads the whole archive")
        let memberTable = decimal(bytes, 8..<20), symbolTable = decimal(bytes, 20..<32)
        let memberTableEnd = memberTable + 88 + 2 + decimal(bytes, memberTable..<(memberTable + 12))
        XCTAssertGreaterThan(memberTable, decimal(bytes, 44..<56), "the tables follow the last member")
        let dir = try TempDir()
        for n in cuts(from: memberTable, to: bytes.count, around: [memberTable, symbolTable]) {
            let path = try dir.write("cut.a", Array(bytes[0..<n]))
            let gnu = try runTool("/usr/bin/nm", [target, path])
            XCTAssertNotEqual(gnu.status, 0, "cut at \(n): GNU nm accepted it")
            let ours = ImageLoader.load(path: path)
            XCTAssertTrue(ours.images.isEmpty, "cut at \(n) gave images")
            XCTAssertEqual(ours.errors.count, 1, "cut at \(n): \(ours.errors)")
            let table = n < memberTableEnd ? "member table" : "global symbol table"
            XCTAssertTrue(ours.errors.first?.message.contains("AIX small archive \(table)") == true
                          || ours.errors.first?.message.contains("\(table) offset") == true, "cut at \(n): \(ours.errors)")
        }
    }
}
