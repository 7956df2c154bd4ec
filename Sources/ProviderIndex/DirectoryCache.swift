#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile

/// Keeps one directory's cache file current.
///
/// The cache is current when it lists exactly the libraries the directory holds now: the same
/// names, in the same order, each with the same size, modification time, change time and
/// inode (`LibraryFile`). So a library that is added, removed, renamed, replaced or rewritten
/// (also through a symbolic link into another directory) invalidates it, and so does a
/// symbolic link that comes to point at another file; the libraries that did not change keep
/// their exports from the old cache, and only the others are read again. Every run lists the
/// directory and `stat`s each entry: the directory's own modification time would not show a
/// library rewritten in place.
enum DirectoryCache {
    /// The current cache of `dir`, brought up to date when it is not; nil when no cache can be
    /// written at all. Without a usable cache location (`cacheRoot` nil or unwritable) the
    /// cache is written to a temporary file that is unlinked as soon as it is mapped, so the
    /// index is read the same way.
    static func current(_ dir: String, family: ProviderFamily, cacheRoot: String?,
                        stats: inout ProviderIndex.Statistics) -> CacheFile? {
        let files = LibraryExports.files(in: dir)
        let path = cachePath(dir, family: family, cacheRoot: cacheRoot)
        var old: CacheFile?
        if let path {
            old = CacheFile.open(path, family: family, directory: dir)
            if old == nil && access(path, F_OK) == 0 { stats.cacheFilesRejected += 1 }
        }
        if let old, old.isCurrent(for: files) {
            stats.librariesFromCache += files.count
            return old
        }
        return rebuild(dir, files: files, reusing: old, family: family, path: path, stats: &stats)
    }

    /// Rebuilds the cache of `dir` from the libraries alone, after a lookup found part of the
    /// current cache damaged. `stats` is corrected: nothing came from that cache after all.
    static func rebuildDamaged(_ dir: String, family: ProviderFamily, cacheRoot: String?, counted: Int,
                               stats: inout ProviderIndex.Statistics) -> CacheFile? {
        stats.cacheFilesRejected += 1
        stats.librariesFromCache -= counted
        return rebuild(dir, files: LibraryExports.files(in: dir), reusing: nil, family: family,
                       path: cachePath(dir, family: family, cacheRoot: cacheRoot), stats: &stats)
    }

    /// `providers-v2-elf64-x86-64-<hash of the directory>.cache` under `cacheRoot`.
    static func cachePath(_ dir: String, family: ProviderFamily, cacheRoot: String?) -> String? {
        cacheRoot.map { "\($0)/providers-v\(CacheFile.version)-\(family)-\(hexHash(dir)).cache" }
    }

    private static func rebuild(_ dir: String, files: [LibraryFile], reusing old: CacheFile?, family: ProviderFamily,
                                path: String?, stats: inout ProviderIndex.Statistics) -> CacheFile? {
        // The old cache's exports per library, for the libraries that did not change. Reading
        // them validates every bucket: a damaged old cache gives nothing.
        var reused: [String: [ProviderExports]] = [:]
        if let old {
            do {
                var byProvider = [[NameView]](repeating: [], count: old.providers.count)
                try old.forEachName { name, ids in
                    for id in ids { byProvider[Int(id)].append(name) }
                }
                var byLibrary: [Int: [ProviderExports]] = [:]
                for (i, p) in old.providers.enumerated() {
                    byLibrary[p.library, default: []].append(ProviderExports(name: p.name.string, symbols: byProvider[i]))
                }
                let present = Set(files.map(\.path))
                for (i, l) in old.libraries.enumerated() {
                    let path = l.path.string
                    if present.contains(path) { reused[path] = byLibrary[i] ?? [] }
                }
            } catch {
                stats.cacheFilesRejected += 1
                reused = [:]
            }
        }
        let oldByPath = Dictionary((old?.libraries ?? []).map { ($0.path.string, $0) }, uniquingKeysWith: { a, _ in a })
        let toRead = files.indices.filter { i in
            guard reused[files[i].path] != nil, let l = oldByPath[files[i].path] else { return true }
            return !l.describes(files[i])
        }
        let fresh = Parallel.map(toRead.count) { k in
            LibraryExports.read(files[toRead[k]], family: family).copied()
        }
        var exports: [[ProviderExports]] = files.map { reused[$0.path] ?? [] }
        for (k, i) in toRead.enumerated() { exports[i] = fresh[k].providers }
        let bytes = CacheWriter.encode(family: family, directory: dir, libraries: files, exports: exports)
        // The old mapping and the fresh names' storage stay alive until here.
        withExtendedLifetime((old, fresh)) {}
        if let old, old.file.shrankWhileMapped {
            // Another process cut the old cache while its names were copied: they may be zeros.
            stats.cacheFilesRejected += 1
            return rebuild(dir, files: files, reusing: nil, family: family, path: path, stats: &stats)
        }
        stats.librariesRead += toRead.count
        stats.librariesFromCache += files.count - toRead.count
        if let path, CacheWriter.write(path, bytes), let written = CacheFile.open(path, family: family, directory: dir) {
            stats.cacheFilesWritten += 1
            return written
        }
        let temp = "/tmp/symscan-providers-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).cache"
        defer { unlink(temp) }
        guard CacheWriter.write(temp, bytes) else { return nil }
        return CacheFile.open(temp, family: family, directory: dir)
    }

    /// A short stable name for a directory path (FNV-1a 64, hex) for the cache file's name.
    private static func hexHash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
