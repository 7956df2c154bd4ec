import Foundation
import ImageLoader
import MappedFile
@testable import ProviderIndex
import TestSupport
import XCTest

/// Names as views, kept valid by a buffer of their own (lookups take `NameView`s).
final class NameSet: @unchecked Sendable {
    let file: MappedFile
    let views: [NameView]
    var set: Set<NameView> { Set(views) }

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var spans: [(Int, Int)] = []
        for n in names {
            spans.append((bytes.count, n.utf8.count))
            bytes += n.utf8
        }
        let file = MappedFile(bytes: bytes)
        self.file = file
        views = spans.map { (try? file.region.bytes($0.0, $0.1, "name")) ?? .empty }
    }
}

/// The hashed cache layout: lookups of a few names, what is validated when, and damage found
/// by a lookup rather than when the cache is opened.
extension ProviderIndexTests {
    /// Names the fixture directory's libraries export, and some they do not.
    private func probeNames(_ expected: [String: [String]]) -> [String] {
        expected.keys.sorted() + ["no_such_symbol_anywhere", "", "P", "PyErr_Print_not"]
    }

    func testLookingUpSomeNamesGivesWhatTheFullIndexGives() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let path = dir.url.path
        let expected = expectedELF(path)
        _ = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path)
        let all = NameSet(probeNames(expected))
        let index = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path, only: all.set)
        XCTAssertEqual(index.statistics.librariesFromCache, 5)
        XCTAssertEqual(index.statistics.librariesRead, 0)
        for name in probeNames(expected) {
            XCTAssertEqual(index.providers(of: name), expected[name] ?? [], name)
        }
        XCTAssertEqual(index.nameCount, expected.count)
        // Only the providers of a name asked about are listed.
        for name in expected.keys.sorted() {
            let asked = NameSet([name])
            let one = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path, only: asked.set)
            XCTAssertEqual(one.providerNames, expected[name])
            XCTAssertEqual(one.providers(of: name), expected[name])
            withExtendedLifetime(asked) {}
        }
        let absent = NameSet(["no_such_symbol_anywhere"])
        let none = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path, only: absent.set)
        XCTAssertEqual(none.providerNames, [])
        XCTAssertEqual(none.nameCount, 0)
        withExtendedLifetime(absent) {}
        // The same answers without a cache, and across two directories (directory order first).
        let other = try libraryDirectory()
        let two = ProviderIndex.load(directories: [path, other.url.path], family: elf64, useCache: false, only: all.set)
        for (name, providers) in expected {
            XCTAssertEqual(two.providers(of: name), providers + providers.map { $0.replacingOccurrences(of: path, with: other.url.path) })
        }
        withExtendedLifetime(all) {}
    }

    /// Every byte of a cache is covered: any single damaged byte, any truncation and any
    /// extra bytes are found by opening and reading every bucket.
    func testEveryByteOfTheCacheIsChecked() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        _ = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        let good = try readBytes(try cacheFile(in: cache))
        func validates(_ bytes: [UInt8]) -> Bool {
            guard let c = try? CacheFile(MappedFile(bytes: bytes), family: elf64, directory: dir.url.path) else { return false }
            return (try? c.validateAllBuckets()) != nil
        }
        XCTAssertTrue(validates(good))
        XCTAssertFalse(validates(good + [0]))
        for at in 0..<good.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var b = good
                b[at] ^= mask
                XCTAssertFalse(validates(b), "byte \(at) ^ \(mask) went unnoticed")
            }
        }
        for length in 0..<good.count {
            XCTAssertFalse(validates(Array(good.prefix(length))), "truncated to \(length) bytes")
        }
        // Another directory's cache (or another family's) is not this one.
        XCTAssertNil(try? CacheFile(MappedFile(bytes: good), family: elf64, directory: dir.url.path + "x"))
        XCTAssertNil(try? CacheFile(MappedFile(bytes: good), family: ProviderFamily(format: .elf, is64: true, machine: "aarch64"),
                                    directory: dir.url.path))
    }

    /// A lookup reads only a name's bucket; whatever byte is damaged, a lookup either throws or
    /// gives the right answer, never a wrong one.
    func testALookupInADamagedCacheThrowsOrIsRight() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let expected = expectedELF(dir.url.path)
        _ = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path)
        let good = try readBytes(try cacheFile(in: cache))
        let probes = probeNames(expected)
        let names = NameSet(probes)
        var thrown = 0
        for at in 0..<good.count {
            var b = good
            b[at] ^= 0x5A
            guard let c = try? CacheFile(MappedFile(bytes: b), family: elf64, directory: dir.url.path) else { continue }
            for (name, view) in zip(probes, names.views) {
                do {
                    let hit = try c.lookup(view)
                    let got = hit.map { $0.providers.map { c.providers[Int($0)].name.string } } ?? []
                    XCTAssertEqual(got, expected[name] ?? [], "byte \(at): \(name)")
                } catch {
                    thrown += 1
                }
            }
        }
        XCTAssertGreaterThan(thrown, 0)
        withExtendedLifetime(names) {}
    }

    /// Damage in the bucket of a name asked about is found by the lookup: the cache is rebuilt
    /// from the libraries and the answer is right.
    func testADamagedBucketFoundByALookupIsRebuilt() throws {
        let (dir, cache, expected, path) = try builtCache()
        let name = try XCTUnwrap(expected.keys.sorted().first)
        let names = NameSet([name])
        let good = try readBytes(path)
        let opened = try CacheFile(MappedFile(bytes: good), family: elf64, directory: dir.url.path)
        let slot = opened.slotsStart + CacheHash.bucket(of: names.views[0], bucketCount: opened.bucketCount) * CacheFile.slotSize
        let bucket = Int(good[slot]) | Int(good[slot + 1]) << 8 | Int(good[slot + 2]) << 16
        // The name's bytes (after its 4-byte length), then the slot itself.
        for at in [bucket + 4, slot + 8] {
            var b = good
            b[at] ^= 0x20
            try Data(b).write(to: URL(fileURLWithPath: path))
            let index = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path, only: names.set)
            XCTAssertEqual(index.statistics.cacheFilesRejected, 1, "damage at \(at)")
            XCTAssertEqual(index.statistics.librariesFromCache, 0)
            XCTAssertEqual(index.statistics.librariesRead, 5)
            XCTAssertEqual(index.statistics.cacheFilesWritten, 1)
            XCTAssertEqual(index.providers(of: name), expected[name])
            let again = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path, only: names.set)
            XCTAssertEqual(again.statistics, ProviderIndex.Statistics(librariesRead: 0, librariesFromCache: 5))
            XCTAssertEqual(again.providers(of: name), expected[name])
        }
        withExtendedLifetime(names) {}
    }

    func testATruncatedCacheIsRebuiltByALookup() throws {
        let (dir, cache, expected, path) = try builtCache()
        let good = try readBytes(path)
        let names = NameSet(probeNames(expected))
        for length in [0, 7, 47, 48, good.count / 3, good.count / 2, good.count - 1] {
            try Data(good.prefix(length)).write(to: URL(fileURLWithPath: path))
            let index = ProviderIndex.load(directories: [dir.url.path], family: elf64, cacheDirectory: cache.url.path, only: names.set)
            XCTAssertEqual(index.statistics.cacheFilesRejected, 1, "\(length) bytes")
            XCTAssertEqual(index.statistics.librariesRead, 5)
            for (name, providers) in expected { XCTAssertEqual(index.providers(of: name), providers) }
            XCTAssertEqual(try readBytes(path).count, good.count)
        }
        withExtendedLifetime(names) {}
    }

    /// A library rewritten in place, with its size and modification time put back as they
    /// were, is still read again: its change time moved.
    func testALibraryRewrittenInPlaceWithItsOldTimesIsReadAgain() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let path = dir.url.path
        _ = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path)
        let archive = path + "/libnames.a"
        var before = stat()
        XCTAssertEqual(stat(archive, &before), 0)
        let bytes = try readBytes(archive)
        usleep(50_000)  // past the file system's timestamp granularity
        let fd = open(archive, O_WRONLY | O_TRUNC)
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, archive, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(archive, &after), 0)
        XCTAssertEqual(after.st_size, before.st_size)
        XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec)
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
        let again = ProviderIndex.load(directories: [path], family: elf64, cacheDirectory: cache.url.path)
        XCTAssertEqual(again.statistics.librariesRead, 1)
        XCTAssertEqual(again.statistics.librariesFromCache, 4)
        assertIndex(again, equals: expectedELF(path))
    }

    /// Readers looking names up while other threads keep changing a library and rebuilding
    /// the cache: every answer is right, and the cache left behind validates.
    func testLookupsDuringConcurrentRebuildsAreRight() throws {
        let dir = try libraryDirectory()
        let cache = try TempDir()
        let expected = expectedELF(dir.url.path)
        let path = dir.url.path, cachePath = cache.url.path, family = elf64
        let probes = probeNames(expected)
        let names = NameSet(probes)
        let only = names.set
        let library = path + "/libdemo.so.1"
        let wrong = Parallel.map(4) { worker -> Int in
            var wrong = 0
            for round in 0..<15 {
                if worker == 0 {
                    // A new modification time each round: every load that sees it rebuilds.
                    var times = [timespec(tv_sec: 1_000_000 + round, tv_nsec: 0), timespec(tv_sec: 1_000_000 + round, tv_nsec: 0)]
                    _ = utimensat(AT_FDCWD, library, &times, 0)
                }
                let index = worker % 2 == 0
                    ? ProviderIndex.load(directories: [path], family: family, cacheDirectory: cachePath)
                    : ProviderIndex.load(directories: [path], family: family, cacheDirectory: cachePath, only: only)
                for name in probes where index.providers(of: name) != expected[name] ?? [] { wrong += 1 }
            }
            return wrong
        }
        XCTAssertEqual(wrong, [0, 0, 0, 0])
        let after = ProviderIndex.load(directories: [path], family: family, cacheDirectory: cachePath, only: only)
        XCTAssertEqual(after.statistics.cacheFilesRejected, 0)
        XCTAssertEqual(after.statistics.librariesRead, 0)
        let opened = try XCTUnwrap(CacheFile.open(try cacheFile(in: cache), family: family, directory: path))
        XCTAssertNoThrow(try opened.validateAllBuckets())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cachePath).filter { $0.contains(".tmp.") }, [])
        withExtendedLifetime(names) {}
    }
}
