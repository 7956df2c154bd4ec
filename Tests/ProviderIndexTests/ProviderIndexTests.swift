import Dispatch
import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import ProviderIndex
import TestSupport
import XCTest

final class ProviderIndexTests: XCTestCase {
    let elf64 = ProviderFamily(format: .elf, is64: true, machine: "x86-64")

    /// A library directory made of our fixtures: an ELF shared object (and a symlink to it), an
    /// ELF archive, an XCOFF archive, an ELF relocatable object (not a library) and a text file.
    func libraryDirectory() throws -> TempDir {
        let dir = try TempDir()
        let fm = FileManager.default
        for (from, to) in [("elf64/_demo.so", "libdemo.so.1"), ("elf64/libnames.a", "libnames.a"),
                           ("xcoff64/libnames.a", "libxnames.a"), ("elf64/names.o", "names.o")] {
            try fm.copyItem(at: Paths.testBinaries.appendingPathComponent(from), to: dir.url.appendingPathComponent(to))
        }
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("libdemo.so").path, withDestinationPath: "libdemo.so.1")
        try dir.write("README", Array("libraries\n".utf8))
        return dir
    }

    /// name → providers, worked out from each library loaded on its own.
    func expectedELF(_ dir: String) -> [String: [String]] {
        var expected: [String: [String]] = [:]
        func add(_ names: [NameView], _ provider: String) {
            for n in Set(names.map(\.string)) { expected[n, default: []].append(provider) }
        }
        // Sorted order: libdemo.so (the symlink) comes before libdemo.so.1, which is the same file.
        let so = ImageLoader.load(path: dir + "/libdemo.so.1").images[0]
        add(so.dynamic!.exports, dir + "/libdemo.so")
        let members = ImageLoader.load(path: dir + "/libnames.a").images
        add(members.flatMap { $0.symbols.filter { $0.defined && $0.isExternal && $0.kind != .section && $0.kind != .file }.map(\.name) },
            dir + "/libnames.a")
        return expected
    }

    func assertIndex(_ index: ProviderIndex, equals expected: [String: [String]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(index.nameCount, expected.count, file: file, line: line)
        for (name, providers) in expected {
            XCTAssertEqual(index.providers(of: name), providers, name, file: file, line: line)
        }
    }

    func testIndexEqualsWhatEachLibraryExports() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let index = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        let expected = expectedELF(dir.url.path)
        XCTAssertGreaterThan(expected.count, 3)
        assertIndex(index, equals: expected)
        XCTAssertEqual(index.providerNames, [dir.url.path + "/libdemo.so", dir.url.path + "/libnames.a"])
        XCTAssertEqual(index.providers(of: "no_such_symbol_anywhere"), [])
        // The same without any cache.
        assertIndex(ProviderIndex.load(directories: [dir.url.path], family: elf64, useCache: false), equals: expected)
    }

    func testOtherFamiliesAreLeftOut() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let arm = ProviderIndex.load(directories: [dir.url.path], family: ProviderFamily(format: .elf, is64: true, machine: "aarch64"),
                                     cacheDirectory: cache.url.path)
        XCTAssertEqual(arm.nameCount, 0)
        let x64 = ProviderIndex.load(directories: [dir.url.path], family: ProviderFamily(format: .xcoff, is64: true),
                                     cacheDirectory: cache.url.path)
        XCTAssertEqual(x64.providerNames, [dir.url.path + "/libxnames.a"])
        // XCOFF entry points are found with or without their dot.
        let members = ImageLoader.load(path: dir.url.path + "/libxnames.a").images.filter { $0.format == .xcoff64 }
        let defined = members.flatMap(\.symbols).filter { $0.defined && $0.isExternal && $0.name.first == UInt8(ascii: ".") }
        XCTAssertFalse(defined.isEmpty)
        for s in defined {
            XCTAssertEqual(x64.providers(of: s.name.string), [dir.url.path + "/libxnames.a"])
            XCTAssertEqual(x64.providers(of: String(s.name.string.dropFirst())), [dir.url.path + "/libxnames.a"])
        }
    }

    func testAIXSharedMembersAreProvidersOfTheirOwn() throws {
        let lib = try Paths.real("aix-fixtures/lib64")
        let cache = try TempDir()
        let index = ProviderIndex.load(directories: [lib.path], family: ProviderFamily(format: .xcoff, is64: true),
                                       cacheDirectory: cache.url.path)
        let providers = index.providers(of: ".PyErr_Print")
        XCTAssertFalse(providers.isEmpty)
        XCTAssertEqual(providers, index.providers(of: "PyErr_Print"))
        XCTAssertTrue(providers.contains { $0.hasSuffix("libpython3.9.a(libpython3.9.so)") } || providers.contains { $0.hasSuffix("libpython3.9.so") },
                      "\(providers)")
    }

    /// A damaged library provides nothing (the index only suggests): here an AIX archive cut
    /// after its members, whose names.o is whole, beside the intact archive.
    func testArchiveCutAfterItsMembersProvidesNothing() throws {
        let dir = try TempDir()
        for (from, to) in [("xcoff64/libnames.a", "libnames.a"), ("malformed/trunc-member-table.a", "libcut.a")] {
            try FileManager.default.copyItem(at: Paths.testBinaries.appendingPathComponent(from),
                                             to: dir.url.appendingPathComponent(to))
        }
        let index = ProviderIndex.load(directories: [dir.url.path], family: ProviderFamily(format: .xcoff, is64: true), useCache: false)
        XCTAssertEqual(index.providerNames, [dir.url.path + "/libnames.a"])
        XCTAssertEqual(index.providers(of: "a_defined_function_with_long_name"), [dir.url.path + "/libnames.a"])
    }

    func testSecondLoadComesFromTheCacheAndOnlyChangedLibrariesAreReread() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let first = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        XCTAssertEqual(first.statistics.librariesFromCache, 0)
        XCTAssertEqual(first.statistics.librariesRead, 5)  // libdemo.so, libnames.a, libxnames.a, names.o, README
        XCTAssertEqual(first.statistics.cacheFilesWritten, 1)
        let second = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        XCTAssertEqual(second.statistics.librariesRead, 0)
        XCTAssertEqual(second.statistics.librariesFromCache, 5)
        XCTAssertEqual(second.statistics.cacheFilesWritten, 0)
        assertIndex(second, equals: expectedELF(dir.url.path))

        // Replace the archive by another one: only it is read again.
        let archive = dir.url.appendingPathComponent("libnames.a")
        try FileManager.default.removeItem(at: archive)
        _ = try runTool("/usr/bin/ar", ["rc", archive.path, Paths.testBinaries.appendingPathComponent("elf64/demo.o").path])
        let third = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        XCTAssertEqual(third.statistics.librariesRead, 1)
        XCTAssertEqual(third.statistics.librariesFromCache, 4)
        assertIndex(third, equals: expectedELF(dir.url.path))
    }

    /// A library directory, a cache built for it, what each of its names should give, and the
    /// cache file's path.
    func builtCache() throws -> (dir: TempDir, cache: TempDir, expected: [String: [String]], path: String) {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let expected = expectedELF(dir.url.path)
        _ = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        return (dir, cache, expected, try cacheFile(in: cache))
    }

    func cacheFile(in cache: TempDir) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.url.path).filter { $0.hasSuffix(".cache") }
        XCTAssertEqual(names.count, 1, "\(names)")
        return cache.url.appendingPathComponent(try XCTUnwrap(names.first)).path
    }

    func testACorruptedCacheIsIgnoredAndRebuilt() throws {
        let (dir, cache, expected, path) = try builtCache()
        let good = try readBytes(path)
        var damaged: [[UInt8]] = [[], Array(good.prefix(10)), Array(good.prefix(good.count / 2)), Array("garbage".utf8)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            var b = good
            let at = Int.random(in: 0..<b.count, using: &generator)
            b[at] ^= UInt8.random(in: 1...255, using: &generator)
            damaged.append(b)
        }
        // A length field that claims more than there is, with the checksum recomputed by no one.
        var long = good
        long[16] = 0xFF
        damaged.append(long)
        for bytes in damaged {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let index = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
            XCTAssertEqual(index.statistics.cacheFilesRejected, 1)
            XCTAssertEqual(index.statistics.librariesFromCache, 0)
            assertIndex(index, equals: expected)
            // …and the rebuilt cache is good again.
            let again = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
            XCTAssertEqual(again.statistics.librariesRead, 0)
        }
    }

    func testAnUnwritableCacheLocationStillGivesAnIndex() throws {
        let dir = try libraryDirectory()
        let index = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: "/proc/symscan-cannot-write-here")
        assertIndex(index, equals: expectedELF(dir.url.path))
        XCTAssertEqual(index.statistics.cacheFilesWritten, 0)
    }

    func testConcurrentBuildersDoNotCorruptTheCache() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let expected = expectedELF(dir.url.path)
        let path = dir.url.path, cachePath = cache.url.path, family = elf64
        for _ in 0..<3 {
            try? FileManager.default.removeItem(atPath: cachePath)
            let counts = Parallel.map(4) { _ in
                ProviderIndex.load(directories: [path], family: family, cacheDirectory: cachePath).nameCount
            }
            XCTAssertEqual(counts, Array(repeating: expected.count, count: 4))
            // The cache the racing builders left behind must validate and hold everything.
            let after = ProviderIndex.load(directories: [path], family: family, cacheDirectory: cachePath)
            XCTAssertEqual(after.statistics.librariesRead, 0)
            XCTAssertEqual(after.statistics.cacheFilesRejected, 0)
            assertIndex(after, equals: expected)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: cachePath).filter { $0.contains(".tmp.") }
            XCTAssertEqual(leftovers, [])
        }
    }

    /// Builders in separate processes (`symscan providers`), racing on one cache directory.
    func testConcurrentProcessesDoNotCorruptTheCache() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let expected = expectedELF(dir.url.path)
        let name = try XCTUnwrap(expected.keys.sorted().first)
        let tool = Paths.repo.appendingPathComponent(".build/debug/symscan").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw XCTSkip("SKIPPED: \(tool) not built") }
        let path = dir.url.path, cachePath = cache.url.path
        let outputs = Parallel.map(6) { _ in
            (try? runTool(tool, ["providers", "--machine", "x86-64", "--cache-dir", cachePath, "--lib-dir", path, name]))?.stdout ?? "failed"
        }
        XCTAssertEqual(Set(outputs), ["\(name): \(expected[name]!.joined(separator: " "))\n"])
        let after = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cachePath)
        XCTAssertEqual(after.statistics.librariesRead, 0)
        assertIndex(after, equals: expected)
    }

    func testDefaultCacheDirectoryFollowsXDG() {
        let saved = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1)
        XCTAssertEqual(ProviderIndex.defaultCacheDirectory, "/tmp/xdg-test/symscan")
        if let saved { setenv("XDG_CACHE_HOME", saved, 1) } else { unsetenv("XDG_CACHE_HOME") }
    }
}
