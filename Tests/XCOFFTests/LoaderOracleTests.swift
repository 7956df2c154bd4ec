import Foundation
import ImageLoader
import ObjectModel
import TestSupport
import XCTest

/// The loader section against two independent readers: GNU objdump -T (binutils-multiarch)
/// for the loader symbols, and LLVM 14's `llvm-readobj --needed-libs` for the import modules.
final class LoaderOracleTests: XCTestCase {
    static let objdump = "/usr/bin/objdump"
    static let readobj14 = "/usr/lib/llvm-14/bin/llvm-readobj"

    func testCorpusLoaderSymbolsMatchObjdump() throws {
        let dir = try Paths.real("xcoff-corpus/files")
        XCTAssertGreaterThanOrEqual(try compare(Paths.files(in: dir)), 7)
    }

    func testFixtureLoaderSymbolsMatchObjdump() throws {
        let dir = try Paths.real("aix-fixtures")
        let files = Paths.files(in: dir).filter { $0.pathExtension == "so" }
        XCTAssertGreaterThanOrEqual(try compare(files), 6)
    }

    func testImportModulesMatchLLVMReadobj() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.readobj14) else {
            throw XCTSkip("SKIPPED: \(Self.readobj14) is not installed (scripts/bootstrap installs llvm-14)")
        }
        var urls = Paths.files(in: try Paths.real("xcoff-corpus/files"))
        urls += Paths.files(in: try Paths.real("aix-fixtures")).filter { $0.pathExtension == "so" }
        var checked = 0
        for url in urls {
            let result = ImageLoader.load(path: url.path)
            guard result.images.count == 1, let d = result.images[0].dynamic, result.images[0].format != .exp else { continue }
            let out = try runTool(Self.readobj14, ["--needed-libs", url.path]).stdout
            // Rows between "BASE MEMBER" and "]": "  libc.a        shr.o".
            var theirs: [String] = []
            var inside = false
            for line in out.split(separator: "\n") {
                if line.contains("BASE") && line.contains("MEMBER") { inside = true; continue }
                if inside && line.trimmingCharacters(in: .whitespaces) == "]" { break }
                if inside {
                    let f = line.split(separator: " ", omittingEmptySubsequences: true)
                    theirs.append(f.count >= 2 ? "\(f[0])(\(f[1]))" : String(f.first ?? ""))
                }
            }
            let ours = d.importModules.map { $0.member.isEmpty ? $0.base : "\($0.base)(\($0.member))" }
            XCTAssertEqual(ours, theirs, url.lastPathComponent)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 19)
    }

    /// Loader symbols as (name, undefined?) must equal objdump -T's rows (`*UND*` = undefined);
    /// imports must be the `*UND*` rows plus millicode imports at absolute addresses; exports
    /// must be among the defined rows. Returns how many files had loader symbols to compare.
    private func compare(_ files: [URL]) throws -> Int {
        var compared = 0
        for url in files {
            let result = ImageLoader.load(path: url.path)
            guard result.images.count == 1, let image = result.images.first, image.format != .exp,
                  let d = image.dynamic, image.kind == .shared else { continue }
            let out = try runTool(Self.objdump, ["-T", url.path]).stdout
            var rows: [String] = []
            var undefined = Set<String>()
            for line in out.split(separator: "\n") {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count >= 3, f[0].allSatisfy(\.isHexDigit), let name = f.last.map(String.init) else { continue }
                let und = f[1] == "*UND*"
                rows.append("\(und ? "U" : "D") \(name)")
                if und { undefined.insert(name) }
            }
            let ours = d.symbols.map { "\($0.defined ? "D" : "U") \($0.name.string)" }
            XCTAssertEqual(ours.sorted(), rows.sorted(), "\(url.lastPathComponent): loader symbols vs objdump -T")
            let imports = Set(d.imports.map(\.name.string))
            XCTAssertEqual(undefined.subtracting(imports), [], "\(url.lastPathComponent): *UND* rows missing from imports")
            // Millicode imports (`___memset`, XMC_XO) have a fixed address: BFD shows them as
            // *ABS*; for the loader they are still imports from libc.
            let absolute = Set(d.symbols.filter { $0.nmLetter == UInt8(ascii: "A") }.map(\.name.string))
            XCTAssertEqual(imports.subtracting(undefined).subtracting(absolute), [],
                           "\(url.lastPathComponent): imports that objdump does not show as *UND*")
            let defined = Set(rows.filter { $0.hasPrefix("D ") }.map { String($0.dropFirst(2)) })
            XCTAssertTrue(Set(d.exports.map(\.string)).isSubset(of: defined), url.lastPathComponent)
            compared += 1
        }
        return compared
    }
}
