import Foundation
import ImageLoader
import MappedFile
import TestSupport
import XCOFF
import XCTest

/// AIX big archives against `llvm-ar t` (LLVM 21) and GNU `ar --target=aixcoff64-rs6000 t`
/// for the members, and `llvm-nm --print-armap` for the global symbol tables.
final class ArchiveOracleTests: XCTestCase {
    static let llvmAR = "/opt/swift/usr/bin/llvm-ar"

    func archives() throws -> [URL] {
        var urls = [Paths.testBinaries.appendingPathComponent("xcoff32/libnames.a"),
                    Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a"),
                    Paths.testBinaries.appendingPathComponent("aix-example/lib64/libpython3.9.a")]
        urls += [try Paths.real("xcoff-corpus/files/go-bigar-ppc64"),
                 try Paths.real("xcoff-corpus/files/go-bigar-empty")]
        return urls
    }

    func testMembersMatchArT() throws {
        for url in try archives() {
            let archive = try AIXArchive(try MappedFile(path: url.path).region)
            let ours = try archive.members().map(\.name.string)
            let llvm = try runTool(Self.llvmAR, ["t", url.path]).stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(ours, llvm, "\(url.lastPathComponent) vs llvm-ar t")
            let gnu = try runTool("/usr/bin/ar", ["--target=aixcoff64-rs6000", "t", url.path])
            if gnu.status == 0 {
                XCTAssertEqual(ours, gnu.stdout.split(separator: "\n").map(String.init), "\(url.lastPathComponent) vs GNU ar t")
            }
            XCTAssertTrue(archive.isBigFormat)
        }
    }

    func testGlobalSymbolTablesMatchLLVMArmap() throws {
        var total = 0
        for url in try archives() {
            let archive = try AIXArchive(try MappedFile(path: url.path).region)
            let members = try archive.members()
            func memberName(_ offset: Int) -> String {
                members.first { $0.headerOffset == offset }?.name.string ?? "?"
            }
            let ours = (try archive.globalSymbols(bits64: false) + archive.globalSymbols(bits64: true))
                .map { "\($0.name.string) in \(memberName($0.memberOffset))" }
            let out = try runTool(llvmNM, ["--print-armap", url.path]).stdout
            let theirs = out.split(separator: "\n").filter { $0.contains(" in ") }.map(String.init)
            XCTAssertEqual(ours.sorted(), theirs.sorted(), url.lastPathComponent)
            total += ours.count
        }
        XCTAssertGreaterThan(total, 1600, "libpython's archive alone exports 1655 names")
    }

    func testEmptyArchiveHasNoMembersAndNoErrors() throws {
        let url = try Paths.real("xcoff-corpus/files/go-bigar-empty")
        let r = ImageLoader.load(path: url.path)
        XCTAssertEqual(r.images.count, 0)
        XCTAssertEqual(r.errors.count, 0)
    }
}
