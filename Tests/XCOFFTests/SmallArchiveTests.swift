import Foundation
import ImageLoader
import MappedFile
import TestSupport
import XCOFF
import XCTest

/// The small AIX archive format (`<aiaff>`), checked with GNU binutils, which still reads it
/// (LLVM does not): members against `ar t`, the global symbol table against `nm -s`, and each
/// member's external symbols against GNU `nm -g`.
final class SmallArchiveTests: XCTestCase {
    let path = Paths.testBinaries.appendingPathComponent("xcoff32/libnames-small.a").path
    let target = "--target=aixcoff-rs6000"

    func testMembersMatchGNUArT() throws {
        let archive = try AIXArchive(try MappedFile(path: path).region)
        XCTAssertFalse(archive.isBigFormat)
        let gnu = try runTool("/usr/bin/ar", [target, "t", path])
        XCTAssertEqual(gnu.status, 0, gnu.stderr)
        XCTAssertEqual(try archive.members().map(\.name.string), gnu.stdout.split(separator: "\n").map(String.init))
    }

    func testGlobalSymbolTableMatchesGNUNMIndex() throws {
        let archive = try AIXArchive(try MappedFile(path: path).region)
        let members = try archive.members()
        let ours = try archive.globalSymbols(bits64: false).map { s in
            "\(s.name.string) in \(members.first { $0.headerOffset == s.memberOffset }?.name.string ?? "?")"
        }
        let index = try runTool("/usr/bin/nm", [target, "-s", path]).stdout
            .split(separator: "\n").filter { $0.contains(" in ") }.map(String.init)
        XCTAssertEqual(ours, index)
        XCTAssertGreaterThan(ours.count, 5)
    }

    func testMemberSymbolsMatchGNUNM() throws {
        let r = ImageLoader.load(path: path)
        XCTAssertEqual(r.errors.map(\.description), [])
        let gnu = parseNM(try runTool("/usr/bin/nm", [target, "-g", path]).stdout)
        XCTAssertEqual(r.images.count, 2)
        for image in r.images {
            let theirs = gnu.filter { $0.member == image.member }
                .map { "\($0.line.isUndefined ? "U" : "D") \($0.line.name)" }.sorted()
            let ours = image.symbols.filter(\.isExternal).map { "\($0.defined ? "D" : "U") \($0.name.string)" }.sorted()
            XCTAssertEqual(ours, theirs, image.displayName)
            XCTAssertFalse(ours.isEmpty)
        }
    }
}
