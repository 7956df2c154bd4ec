#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile

/// Which libraries in a set of directories export a symbol: the index behind suggestions such
/// as "`PyErr_Print` is exported by /usr/lib/libpython3.11.so".
///
/// ```swift
/// let index = ProviderIndex.load(directories: ["/usr/lib/x86_64-linux-gnu"],
///                                family: ProviderFamily(format: .elf, is64: true, machine: "x86-64"))
/// index.providers(of: "PyErr_Print")   // ["/usr/lib/x86_64-linux-gnu/libpython3.11.so", …]
/// ```
///
/// What counts as exported: for an ELF shared object, the defined global and weak `.dynsym`
/// symbols of default or protected visibility (`DynamicInfo.exports`); for an XCOFF shared
/// object, its loader-section exports; for an archive (ELF `ar`, AIX big or small), the defined
/// external symbols of its object members, provided by the archive's path; an AIX archive's
/// shared-object members are providers of their own, named `lib.a(member)`. Only libraries of
/// `family` are used. Directories are not searched recursively (neither the linker nor the
/// loader does); symbolic links are followed, and a library reached under several names is
/// listed once, under the first name in sorted order. XCOFF names are indexed and looked up
/// without an entry point's leading dot.
///
/// Libraries are read in parallel. Each directory's result is cached in
/// `cacheDirectory` (default `$XDG_CACHE_HOME/symscan`, else `~/.cache/symscan`) keyed by
/// each library's path, size and modification time, so a later load re-reads only the
/// libraries that changed. The cache is replaced atomically and validated when read; a cache
/// that is damaged, of another version, or unwritable is ignored (the index is then built in
/// memory), never fatal. The names in the index are views into the mapped cache file: building
/// the lookup table makes no `String` per symbol.
public struct ProviderIndex: Sendable {
    /// How the last `load` went, for tests and measurements.
    public struct Statistics: Sendable, Equatable {
        /// Libraries whose exports were read from the library itself.
        public var librariesRead = 0
        /// Libraries whose exports came from the cache.
        public var librariesFromCache = 0
        /// Cache files that existed but did not validate (and were rebuilt).
        public var cacheFilesRejected = 0
        public var cacheFilesWritten = 0
    }

    /// Provider names (library paths, or `archive(member)`), in directory order, then file order.
    public let providerNames: [String]
    public let statistics: Statistics
    /// Each name's last entry in `entries`.
    private let lookup: [NameView: Int32]
    /// (provider, the name's previous entry or -1).
    private let entries: [Entry]
    /// The mapped caches the names point into.
    private let storage: [MappedFile]
    private let family: ProviderFamily

    private struct Entry: Sendable {
        var provider: Int32
        var next: Int32
    }

    /// `$XDG_CACHE_HOME/symscan`, or `$HOME/.cache/symscan`; nil when neither is set.
    public static var defaultCacheDirectory: String? {
        if let x = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), x.hasPrefix("/") { return x + "/symscan" }
        if let h = getenv("HOME").map({ String(cString: $0) }), !h.isEmpty { return h + "/.cache/symscan" }
        return nil
    }

    /// Builds (or loads from the cache) the index of `directories` for `family`.
    /// `cacheDirectory` nil means `defaultCacheDirectory`; `useCache: false` neither reads nor
    /// writes a cache. Directories that do not exist contribute nothing.
    ///
    /// `only`: index just these names (with an XCOFF entry point's dot removed, as lookups
    /// do). A diagnosis asks about a handful of names; skipping the rest while reading the
    /// cache makes a warm lookup a scan of the mapped cache rather than the building of a
    /// table of every exported name (160 ms → a few ms for /usr/lib/x86_64-linux-gnu).
    public static func load(directories: [String], family: ProviderFamily, cacheDirectory: String? = nil,
                            useCache: Bool = true, only: Set<NameView>? = nil) -> ProviderIndex {
        var stats = Statistics()
        var caches: [CacheFile] = []
        let cacheRoot = useCache ? (cacheDirectory ?? defaultCacheDirectory) : nil
        for dir in directories {
            if let c = directoryCache(dir, family: family, cacheRoot: cacheRoot, stats: &stats) { caches.append(c) }
        }
        return ProviderIndex(caches: caches, family: family, statistics: stats, only: only)
    }

    /// The providers of `name`, in directory order, then file order; empty when none.
    public func providers(of name: String) -> [String] {
        var name = name
        return name.withUTF8 { providers(of: NameView(start: UnsafeRawPointer($0.baseAddress), count: $0.count)) }
    }

    /// The providers of `name` (bytes, e.g. a symbol name from an image).
    public func providers(of name: NameView) -> [String] {
        var key = name
        if family.stripsEntryPointDot && key.first == UInt8(ascii: ".") { key = key.dropFirst() }
        guard var e = lookup[key] else { return [] }
        // Each name's entries are chained from the last one found back to the first.
        var out: [String] = []
        while e >= 0 {
            out.append(providerNames[Int(entries[Int(e)].provider)])
            e = entries[Int(e)].next
        }
        return out.reversed()
    }

    /// The number of distinct names indexed.
    public var nameCount: Int { lookup.count }

    private init(caches: [CacheFile], family: ProviderFamily, statistics: Statistics, only: Set<NameView>?) {
        var names: [String] = []
        var lookup: [NameView: Int32] = [:]
        var entries: [Entry] = []
        // Cheap filters before hashing a name: the lengths and first bytes of the names asked
        // about. Most of the index's names fail one of them.
        var lengths = [Bool](repeating: false, count: 1025)
        var firsts = [Bool](repeating: false, count: 256)
        for n in only ?? [] {
            lengths[min(n.count, 1024)] = true
            firsts[Int(n.first ?? 0)] = true
        }
        for cache in caches {
            for record in cache.records {
                // The cache validated as a whole; a structural surprise here drops the record.
                try? CacheFile.forEachProvider(in: record.bytes) { (name, c: inout Cursor) throws(ParseError) in
                    let provider = Int32(names.count)
                    var named = false
                    let count = Int(try c.u32())
                    for _ in 0..<count {
                        let symbol = try c.string()
                        if let only {
                            guard lengths[min(symbol.count, 1024)], firsts[Int(symbol.first ?? 0)], only.contains(symbol) else { continue }
                        }
                        if !named {
                            names.append(name.string)
                            named = true
                        }
                        let previous = lookup.updateValue(Int32(entries.count), forKey: symbol) ?? -1
                        entries.append(Entry(provider: provider, next: previous))
                    }
                    // Providers of none of the names asked about are left out entirely.
                    if !named && only == nil { names.append(name.string) }
                }
            }
        }
        self.providerNames = names
        self.lookup = lookup
        self.entries = entries
        self.storage = caches.map(\.file)
        self.family = family
        self.statistics = statistics
    }

    /// The cache of one directory, brought up to date: unchanged libraries keep their cached
    /// record, new and changed ones are read (in parallel). Without a usable cache location the
    /// cache is written to an unlinked temporary file, so that the index is built the same way.
    private static func directoryCache(_ dir: String, family: ProviderFamily, cacheRoot: String?,
                                       stats: inout Statistics) -> CacheFile? {
        let files = LibraryExports.files(in: dir)
        let path = cacheRoot.map { "\($0)/providers-v\(CacheFile.version)-\(family)-\(hexHash(dir)).cache" }
        var old: CacheFile?
        if let path {
            old = CacheFile.open(path, family: family, directory: dir)
            if old == nil && access(path, F_OK) == 0 { stats.cacheFilesRejected += 1 }
        }
        var cached: [String: (LibraryFile, ByteRegion)] = [:]
        for r in old?.records ?? [] { cached[r.library.path] = r }
        let toRead = files.indices.filter { cached[files[$0].path]?.0 != files[$0] }
        let fresh = Parallel.map(toRead.count) { k -> [UInt8] in
            let file = files[toRead[k]]
            return CacheFile.encode(file, LibraryExports.read(file, family: family))
        }
        stats.librariesRead += toRead.count
        stats.librariesFromCache += files.count - toRead.count
        if let old, toRead.isEmpty, old.records.count == files.count { return old }

        var freshByIndex: [Int: [UInt8]] = [:]
        for (k, i) in toRead.enumerated() { freshByIndex[i] = fresh[k] }
        let records: [RecordBytes] = files.indices.map { i in
            if let f = freshByIndex[i] { return .fresh(f) }
            return .reused(cached[files[i].path]!.1)
        }
        if let path, CacheFile.write(path, family: family, directory: dir, records: records),
           let written = CacheFile.open(path, family: family, directory: dir) {
            stats.cacheFilesWritten += 1
            return written
        }
        // No usable cache location: the same file format, in a temporary file that is gone
        // from the directory as soon as it is mapped.
        let temp = "/tmp/symscan-providers-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).cache"
        defer { unlink(temp) }
        guard CacheFile.write(temp, family: family, directory: dir, records: records) else { return nil }
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
