import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import TestSupport
import XCOFF
import XCTest

/// Broken XCOFF input must give one clear error naming what is wrong and where: never a trap,
/// a hang, or a read outside the mapping.
final class MalformedInputTests: XCTestCase {
    let object64 = Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path
    let object32 = Paths.testBinaries.appendingPathComponent("xcoff32/names.o").path

    /// Loads `bytes` from a file through the normal path and returns the single error line.
    func error(of bytes: [UInt8], _ name: String = "bad.o") throws -> String {
        let dir = try TempDir()
        let path = try dir.write(name, bytes)
        let r = ImageLoader.load(path: path)
        XCTAssertEqual(r.errors.count, 1, "expected exactly one error, got \(r.errors)")
        return r.errors.first.map { String($0.description.dropFirst(path.count + 2)) } ?? ""
    }

    func testEveryTruncationOfAnObjectIsAnError() throws {
        for path in [object64, object32] {
            let file = try MappedFile(path: path)
            for n in 0..<file.size {
                let prefix = try file.region.slice(0, n, "prefix")
                do {
                    _ = try XCOFFFile(prefix).image(path: path)
                    XCTFail("\(path) cut at \(n) of \(file.size) bytes parsed without error")
                } catch {
                    XCTAssertLessThanOrEqual(error.offset, n, "error offset must lie in the file")
                }
            }
        }
    }

    func testEveryTruncationOfASharedObjectWithLoaderSectionIsAnError() throws {
        let path = try Paths.real("aix-fixtures/_demo64.libpython.so").path
        let file = try MappedFile(path: path)
        var failures = 0
        for n in stride(from: 0, to: file.size, by: 7) {
            let prefix = try file.region.slice(0, n, "prefix")
            do {
                let x = try XCOFFFile(prefix)
                _ = try x.image(path: path)
            } catch {
                failures += 1
                XCTAssertLessThanOrEqual(error.offset, n)
            }
        }
        XCTAssertEqual(failures, (file.size + 6) / 7, "every cut shorter than the file must fail")
    }

    /// Every byte of these archives belongs to a member, the member table or a global symbol
    /// table, all of which the file header points to: any cut leaves the archive unusable, one
    /// error and no members, even when the cut spares every member.
    func testEveryTruncationOfAnArchiveIsAnError() throws {
        for fixture in ["xcoff64/libnames.a", "xcoff32/libnames.a", "xcoff32/libnames-small.a"] {
            let bytes = try readBytes(Paths.testBinaries.appendingPathComponent(fixture).path)
            var accepted: [Int] = []
            for n in 1..<bytes.count {
                let r = ImageLoader.load(MappedFile(bytes: Array(bytes[0..<n]), path: "cut.a"), path: "cut.a")
                if r.errors.isEmpty { accepted.append(n) }
                XCTAssertLessThanOrEqual(r.errors.count, 1, "\(fixture) cut at \(n): \(r.errors)")
                XCTAssertTrue(r.images.isEmpty, "\(fixture) cut at \(n) gave images")
                for e in r.errors {
                    XCTAssertLessThanOrEqual(e.offset ?? 0, n, "\(fixture) cut at \(n): the offset must lie in the file: \(e)")
                }
            }
            XCTAssertEqual(accepted, [], "\(fixture): cuts that were accepted as whole archives")
        }
    }

    func testSymbolCountThatOverflowsTheFile() throws {
        var b = try readBytes(object64)
        let symptr = Int(b.get64(8))
        b.put32(20, 0x7FFF_FFFF)
        XCTAssertEqual(try error(of: b),
                       "truncated XCOFF symbol table: 2147483647 entries of 18 bytes need 38654705646 bytes, \(b.count - symptr) left in the file (at byte offset \(symptr))")
    }

    func testSectionCountPastTheEnd() throws {
        var b = try readBytes(object32)
        b.put16(2, 0xFFFF)
        XCTAssertTrue(try error(of: b).hasPrefix("truncated XCOFF section headers: 65535 entries of 40 bytes need 2621400 bytes"))
    }

    func testSymbolTableOffsetOutsideTheFile() throws {
        var b = try readBytes(object32)
        b.put32(8, 0xFFFF_FF00)
        XCTAssertEqual(try error(of: b),
                       "XCOFF symbol table: offset 4294967040 is outside the \(b.count)-byte file (at byte offset \(b.count))")
    }

    func testStringTableLongerThanTheFile() throws {
        var b = try readBytes(object64)
        let strtab = Int(b.get64(8)) + Int(b.get32(20)) * 18
        b.put32(strtab, 0xFFFF_FFFF)
        XCTAssertEqual(try error(of: b),
                       "XCOFF string table: length 4294967295 runs past the end of the file (\(b.count - strtab) bytes left) (at byte offset \(strtab))")
    }

    func testStringTableOfLengthZeroWithNamesThatNeedIt() throws {
        var b = try readBytes(object64)
        let strtab = Int(b.get64(8)) + Int(b.get32(20)) * 18
        b.put32(strtab, 0)
        XCTAssertTrue(try error(of: b).contains("but the file has no string table"))
    }

    func testNameOffsetOutsideTheStringTable() throws {
        var b = try readBytes(object64)
        let symptr = Int(b.get64(8))
        let second = 1 + Int(b[symptr + 17])  // the entry after .file and its aux entries
        b.put32(symptr + 18 * second + 8, 0x00FF_FFFF)
        let message = try error(of: b)
        XCTAssertTrue(message.contains("name offset 16777215 is outside the"), message)
    }

    func testAuxiliaryEntriesPastTheEndOfTheTable() throws {
        var b = try readBytes(object32)
        let symptr = Int(b.get32(8)), nsyms = Int(b.get32(12))
        // Find the last primary entry by walking the table, then claim 255 aux entries for it.
        var i = 0, last = 0
        while i < nsyms { last = i; i += 1 + Int(b[symptr + i * 18 + 17]) }
        b[symptr + last * 18 + 17] = 255
        XCTAssertEqual(try error(of: b),
                       "XCOFF symbol \(last): 255 auxiliary entries run past the end of the \(nsyms)-entry symbol table (at byte offset \(symptr + last * 18))")
    }

    func testNameWithoutTerminatingNULAtTheEndOfTheFile() throws {
        var b = try readBytes(object64)
        b[b.count - 1] = UInt8(ascii: "x")  // the last name's NUL
        let message = try error(of: b)
        XCTAssertTrue(message.contains("string has no terminating NUL before the end of the region"), message)
    }

    func testObsolete64BitMagicIsReportedByName() throws {
        var b = try readBytes(object64)
        b.put16(0, 0x01EF)
        XCTAssertEqual(try error(of: b),
                       "XCOFF file header: obsolete 64-bit XCOFF magic 0x01EF (AIX 4.1 and earlier) is not supported (at byte offset 0)")
    }

    func testLoaderImportIndexOutOfRange() throws {
        let path = try Paths.real("aix-fixtures/_demo64.libpython.so").path
        var b = try readBytes(path)
        let file = try XCOFFFile(try MappedFile(path: path).region)
        let loader = file.sections.first { $0.type & SectionType.loader != 0 }!
        let base = Int(loader.rawDataOffset)
        let symoff = base + Int(b.get64(base + 40))
        // The second loader symbol is an import from ID 1; point it at ID 9 of 2.
        b.put32(symoff + 24 + 16, 9)
        XCTAssertTrue(try error(of: b, "bad.so").contains("import file index 9 is out of range (2 import file IDs)"))
    }

    func testArchiveMemberChainThatPointsBackwards() throws {
        var b = try readBytes(Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path)
        let first = Int(String(decoding: b[(8 + 60)..<(8 + 80)], as: UTF8.self).trimmingCharacters(in: .whitespaces))!
        // ar_nxtmem of the first member pointing at the archive header: a loop, were it followed.
        let field = Array("0".utf8) + Array(repeating: UInt8(ascii: " "), count: 19)
        b.replaceSubrange((first + 20)..<(first + 40), with: field)
        let message = try error(of: b, "loop.a")
        XCTAssertTrue(message.contains("member chain ends here, before the last member at offset"), message)
        // A chain pointing to the member itself must not loop either.
        let selfField = Array(String(first).utf8) + Array(repeating: UInt8(ascii: " "), count: 20 - String(first).count)
        b.replaceSubrange((first + 20)..<(first + 40), with: selfField)
        XCTAssertTrue(try error(of: b, "loop.a").contains("points backwards"))
    }

    func testRandomCorruptionNeverCrashes() throws {
        var inputs = [object64, object32, Paths.testBinaries.appendingPathComponent("xcoff32/libnames.a").path]
        if let so = try? Paths.real("aix-fixtures/_demo64.libpython.so") { inputs.append(so.path) }
        var rng = SplitMix64(seed: 0x5eed)
        let dir = try TempDir()
        for path in inputs {
            let original = try readBytes(path)
            for _ in 0..<400 {
                var b = original
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                let p = try dir.write("mutant", b)
                let r = ImageLoader.load(path: p)
                for image in r.images { _ = image.symbols.reduce(0) { $0 &+ $1.name.count } }
            }
        }
    }
}
