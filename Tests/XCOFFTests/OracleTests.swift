import Foundation
import ImageLoader
import ObjectModel
import TestSupport
import XCTest

/// Compares what symscan reads from real XCOFF files with LLVM 21's llvm-nm, an independent
/// reader: the external symbols (name, undefined?) must be equal as multisets, and the number of
/// primary symbol table entries must equal the number of symbols `llvm-nm -a` prints.
final class OracleTests: XCTestCase {
    func testRealCorpusMatchesLLVMNM() throws {
        let dir = try Paths.real("xcoff-corpus/files")
        let compared = try compareAll(Paths.files(in: dir))
        XCTAssertGreaterThanOrEqual(compared, 13, "expected every XCOFF object, executable and shared object of the corpus")
    }

    func testOwnTestBinariesMatchLLVMNM() throws {
        // LLVM does not read small AIX archives; SmallArchiveTests checks that one with GNU tools.
        let files = (Paths.files(in: Paths.testBinaries.appendingPathComponent("xcoff32"))
            + Paths.files(in: Paths.testBinaries.appendingPathComponent("xcoff64")))
            .filter { !$0.lastPathComponent.contains("-small") }
        let compared = try compareAll(files)
        XCTAssertGreaterThanOrEqual(compared, 6)
    }

    func testAIXFixturesMatchLLVMNM() throws {
        let dir = try Paths.real("aix-fixtures")
        let files = Paths.files(in: dir).filter { $0.pathExtension == "so" }
            + Paths.files(in: dir.appendingPathComponent("obj"))
            + Paths.files(in: dir.appendingPathComponent("lib64"))
        XCTAssertGreaterThanOrEqual(try compareAll(files), 8)
    }

    /// Returns how many images were compared.
    private func compareAll(_ files: [URL]) throws -> Int {
        var compared = 0
        for url in files {
            let result = ImageLoader.load(path: url.path)
            if url.pathExtension == "exp" { continue }
            XCTAssertEqual(result.errors.map(\.description), [], url.lastPathComponent)
            if result.images.isEmpty { continue }
            let external = try runTool(llvmNM, ["-g", "--no-sort", url.path])
            let all = try runTool(llvmNM, ["-a", "--no-sort", url.path])
            let oracleExternal = parseNM(external.stdout)
            let oracleAll = parseNM(all.stdout)
            for image in result.images {
                let key = image.member ?? ""
                let theirs = oracleExternal.filter { result.images.count == 1 || $0.member == key }
                    .map { "\($0.line.isUndefined ? "U" : "D") \($0.line.name)" }.sorted()
                let ours = image.symbols.filter(\.isExternal)
                    .map { "\($0.defined ? "D" : "U") \($0.name.string)" }.sorted()
                let label = image.displayName
                if ours != theirs {
                    let missing = Set(theirs).subtracting(ours).sorted().prefix(5)
                    let extra = Set(ours).subtracting(theirs).sorted().prefix(5)
                    XCTFail("\(label): external symbols differ from llvm-nm -g: missing \(missing), extra \(extra)")
                }
                let theirCount = oracleAll.filter { result.images.count == 1 || $0.member == key }.count
                XCTAssertEqual(image.symbols.count, theirCount, "\(label): primary symbol entries vs llvm-nm -a")
                compared += 1
            }
        }
        return compared
    }
}
