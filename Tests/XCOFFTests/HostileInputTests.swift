import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import TestSupport
import XCOFF
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Input that changes under us, lies about its sizes, or was found by the fuzzers.
final class HostileInputTests: XCTestCase {
    /// Copies `source` to a scratch file, maps it, truncates it to `newSize` while mapped, then
    /// parses: the SIGBUS guard must turn the reads past the new end into one clean error.
    func loadAfterTruncating(_ source: String, to newSize: Int) throws -> (LoadResult, MappedFile, TempDir) {
        let dir = try TempDir()
        let path = try dir.write("shrinking", try readBytes(source))
        let file = try MappedFile(path: path)
        XCTAssertTrue(file.isGuardedMapping, "not mapped: \(MappedFile.guardedMappingCount) guarded mappings alive")
        XCTAssertEqual(truncate(path, off_t(newSize)), 0)
        return (ImageLoader.load(file, path: path), file, dir)
    }

    func testXCOFFArchiveTruncatedWhileMapped() throws {
        let source = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path
        let size = try readBytes(source).count
        XCTAssertGreaterThan(size, 4096, "the archive must span more than one page")
        for newSize in [0, 100, 4096] {
            let (r, file, dir) = try loadAfterTruncating(source, to: newSize)
            // Cut to 0 or 4096, the parser reads whole pages past the new end: SIGBUS, absorbed
            // by the guard. Cut to 100, what it reads of the first page is zeros, no signal:
            // the size on disk shows it.
            XCTAssertEqual(file.shrankWhileMapped, newSize != 100, "cut to \(newSize)")
            XCTAssertTrue(file.wasTruncated, "cut to \(newSize)")
            withExtendedLifetime(dir) {}
            XCTAssertTrue(r.images.isEmpty)
            XCTAssertEqual(r.errors.map(\.description),
                           ["\(r.path): file shrank while being read (\(size) bytes when opened, now \(newSize) bytes); not used"])
        }
    }

    /// The ELF path: the reads past the new end happen inside libelf (C), under the same guard.
    func testELFSharedObjectTruncatedWhileMapped() throws {
        let source = Paths.testBinaries.appendingPathComponent("elf64/_demo.so").path
        let size = try readBytes(source).count
        let (r, file, dir) = try loadAfterTruncating(source, to: 4096)
        defer { withExtendedLifetime(dir) {} }
        XCTAssertTrue(file.shrankWhileMapped)
        XCTAssertTrue(r.images.isEmpty)
        XCTAssertEqual(r.errors.map(\.description),
                       ["\(r.path): file shrank while being read (\(size) bytes when opened, now 4096 bytes); not used"])
    }

    func testAFileThatDoesNotShrinkIsNotFlagged() throws {
        let path = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path
        let file = try MappedFile(path: path)
        let r = ImageLoader.load(file, path: path)
        XCTAssertFalse(file.shrankWhileMapped)
        XCTAssertEqual(r.errors.count, 0)
        XCTAssertEqual(r.images.count, 2)
    }

    /// Loading releases its mapping (and its guard slot) once the images are gone: a leak would
    /// exhaust the guard's slots and silently turn mappings into copies.
    func testMappingsAndGuardSlotsAreReleased() throws {
        let paths = ["xcoff64/libnames.a", "xcoff32/names.o", "elf64/_demo.so", "elf64/libnames.a"]
            .map { Paths.testBinaries.appendingPathComponent($0).path }
        let before = MappedFile.guardedMappingCount
        for _ in 0..<300 {
            for p in paths { XCTAssertTrue(ImageLoader.load(path: p).errors.isEmpty) }
        }
        XCTAssertEqual(MappedFile.guardedMappingCount, before)
        print("guarded mappings alive in this test process: \(before)")
    }

    /// In-memory files read exactly like mapped ones (the fuzzers use them).
    func testInMemoryFileParsesLikeTheMappedOne() throws {
        let path = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path
        let memory = MappedFile(bytes: try readBytes(path), path: path)
        let fromMemory = ImageLoader.load(memory, path: path)
        let fromDisk = ImageLoader.load(path: path)
        XCTAssertEqual(fromMemory.images.map { $0.symbols.map(\.name.string) }, fromDisk.images.map { $0.symbols.map(\.name.string) })
        XCTAssertEqual(MappedFile(bytes: [], path: "empty").region.count, 0)
        XCTAssertEqual(ImageLoader.load(MappedFile(bytes: []), path: "e").errors.map(\.message), ["empty file"])
    }

    /// A global symbol table whose count times 8 overflows 64 bits (TestBinaries/malformed).
    func testGlobalSymbolTableCountThatOverflows() throws {
        let path = Paths.testBinaries.appendingPathComponent("malformed/gst-count-overflow.a").path
        let archive = try AIXArchive(try MappedFile(path: path).region)
        XCTAssertThrowsError(try archive.globalSymbols(bits64: true)) { error in
            XCTAssertTrue("\(error)".contains("AIX big archive 64-bit global symbol table: value 2305843009213693953 is impossible"), "\(error)")
        }
        XCTAssertEqual(try archive.members().count, 2, "the members themselves are intact")
    }

    /// Found by the exp fuzz target's exec rate: one `#!` line per symbol made collecting the
    /// modules quadratic (29 s for 40,000 lines in a debug build).
    func testImportListWithOneModulePerSymbolIsLinear() throws {
        var text = ""
        for i in 0..<20_000 { text += "#! /lib/libx\(i).a(shr.o)\nsym\(i)\n" }
        let file = MappedFile(bytes: Array(text.utf8), path: "many.exp")
        let start = DispatchTime.now()
        let list = try ImportExportFile(file.region)
        XCTAssertEqual(list.modules.count, 20_000)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        XCTAssertLessThan(seconds, 3)
    }

    /// Every input a fuzzer crashed on (Tests/Regressions/TARGET/...) now loads with a clean
    /// result: errors or images, no trap. Inputs of the loader-section target are its harness's
    /// format (a width byte, then the section) and are wrapped the same way here.
    func testFuzzRegressions() throws {
        let root = Paths.repo.appendingPathComponent("Tests/Regressions")
        let targets = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var count = 0
        for target in targets.sorted() {
            for url in Paths.files(in: root.appendingPathComponent(target)) where url.lastPathComponent != "README.md" {
                var bytes = try readBytes(url.path)
                if target == "loader-section", let width = bytes.first {
                    bytes = FuzzHarness.wrapLoaderSection(is64: width & 1 == 1, Array(bytes.dropFirst()))
                }
                let r = ImageLoader.load(MappedFile(bytes: bytes, path: url.path), path: url.path)
                for image in r.images { _ = image.symbols.reduce(0) { $0 &+ $1.name.count } }
                for e in r.errors { XCTAssertFalse(e.message.isEmpty) }
                count += 1
            }
        }
        print("fuzz regressions: \(count) inputs")
    }
}

/// The loader-section fuzz target's wrapper (Fuzz/Sources/fuzz-loader-section), repeated here
/// so its regression inputs can be replayed without the fuzz package.
enum FuzzHarness {
    static func wrapLoaderSection(is64: Bool, _ body: [UInt8]) -> [UInt8] {
        var b: [UInt8] = []
        func put(_ v: UInt64, _ width: Int) { for i in (0..<width).reversed() { b.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
        let contentOffset = UInt64(is64 ? 24 + 72 : 20 + 40)
        if is64 {
            put(0x01F7, 2); put(1, 2); put(0, 4); put(0, 8); put(0, 2); put(0x3002, 2); put(0, 4)
            b += Array(".loader\0".utf8)
            put(0, 8); put(0, 8); put(UInt64(body.count), 8); put(contentOffset, 8)
            put(0, 8); put(0, 8); put(0, 4); put(0, 4); put(0x1000, 4); put(0, 4)
        } else {
            put(0x01DF, 2); put(1, 2); put(0, 4); put(0, 4); put(0, 4); put(0, 2); put(0x3002, 2)
            b += Array(".loader\0".utf8)
            put(0, 4); put(0, 4); put(UInt64(body.count), 4); put(contentOffset, 4)
            put(0, 4); put(0, 4); put(0, 2); put(0, 2); put(0x1000, 4)
        }
        return b + body
    }
}
