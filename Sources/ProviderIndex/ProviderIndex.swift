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
/// symbols of default or protected visibility that a link can bind to (not those defined only
/// under a hidden, non-default version); for an XCOFF shared
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
/// each library's path, size, modification and change times and inode (`DirectoryCache`),
/// so a later load re-reads only the libraries that changed. The cache is replaced atomically
/// and validated as it is read (`CacheFile`); a cache that is damaged, of another version, or
/// unwritable is ignored and rebuilt (or the index built in memory), never fatal. The names in
/// the index are views into the mapped cache file: building the lookup table makes no `String`
/// per symbol.
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
    /// The mapped caches (or, for `only`, the copies) the names point into.
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
    /// do). A diagnosis asks about a handful of names; each is looked up in the cache's hashed
    /// name table, which reads and validates only the buckets those names are in, rather than
    /// building a table of every exported name (docs/performance.md, "Provider index").
    public static func load(directories: [String], family: ProviderFamily, cacheDirectory: String? = nil,
                            useCache: Bool = true, only: Set<NameView>? = nil) -> ProviderIndex {
        var stats = Statistics()
        var builder = Builder()
        let cacheRoot = useCache ? (cacheDirectory ?? defaultCacheDirectory) : nil
        for dir in directories {
            let before = stats.librariesFromCache
            guard var cache = DirectoryCache.current(dir, family: family, cacheRoot: cacheRoot, stats: &stats) else { continue }
            if let found = try? builder.read(cache, only: only) {
                builder.add(found, from: cache)
                continue
            }
            // A bucket did not validate: the cache is damaged. Rebuild it from the libraries.
            guard let rebuilt = DirectoryCache.rebuildDamaged(dir, family: family, cacheRoot: cacheRoot,
                                                              counted: stats.librariesFromCache - before, stats: &stats)
            else { continue }
            cache = rebuilt
            if let found = try? builder.read(cache, only: only) { builder.add(found, from: cache) }
        }
        return ProviderIndex(builder, family: family, statistics: stats)
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

    private init(_ b: Builder, family: ProviderFamily, statistics: Statistics) {
        self.providerNames = b.providerNames
        self.lookup = b.lookup
        self.entries = b.entries
        self.storage = b.storage
        self.family = family
        self.statistics = statistics
    }

    /// Collects the names and providers of each directory's cache in turn.
    private struct Builder {
        var providerNames: [String] = []
        var lookup: [NameView: Int32] = [:]
        var entries: [Entry] = []
        var storage: [MappedFile] = []

        /// What one cache holds of the names asked about (all of them when `only` is nil), and
        /// the names of their providers (of every provider when `only` is nil); throws when a
        /// bucket read on the way does not validate. The names are the cache's own views, or
        /// with `only` copies of them.
        func read(_ cache: CacheFile, only: Set<NameView>?) throws(ParseError) -> Found {
            var found = Found()
            if let only {
                for name in only {
                    if let hit = try cache.lookup(name) { found.append(hit.name, hit.providers) }
                }
                // A handful of names: copied out of the mapping (before the check below), so
                // that nothing that happens to the cache file later can change them.
                found.copyNames()
            } else {
                try cache.forEachName { name, ids in found.append(name, ids) }
            }
            var used = [Bool](repeating: only == nil, count: cache.providers.count)
            for id in found.ids { used[Int(id)] = true }
            for (i, p) in cache.providers.enumerated() where used[i] { found.providerNames.append((Int32(i), p.name.string)) }
            // Read from a mapping that another process truncated: zeros, not the cache.
            if cache.file.shrankWhileMapped {
                throw ParseError("provider cache", at: 0, "the cache file shrank while it was read")
            }
            return found
        }

        /// Names and their providers (indices into the cache's provider table), flattened.
        struct Found {
            var names: [NameView] = []
            var ends: [Int] = []
            var ids: [Int32] = []

            /// What `names` point into when they are copies.
            var storage: MappedFile?
            /// The providers listed, in the cache's order: index in the cache, and name.
            var providerNames: [(Int32, String)] = []

            mutating func append(_ name: NameView, _ providers: [Int32]) {
                names.append(name)
                ids += providers
                ends.append(ids.count)
            }

            mutating func copyNames() {
                let copy = MappedFile(bytes: names.flatMap { Array($0.bytes) }, path: "<provider names>")
                var offset = 0
                names = names.map { n in
                    defer { offset += n.count }
                    return (try? copy.region.bytes(offset, n.count, "provider name")) ?? .empty
                }
                storage = copy
            }
        }

        /// Adds what `read` found: with every name asked for, every provider of the cache is
        /// listed; otherwise only the providers of some name asked about, in the cache's order.
        mutating func add(_ found: Found, from cache: CacheFile) {
            var global = [Int32](repeating: -1, count: cache.providers.count)
            for (i, name) in found.providerNames {
                global[Int(i)] = Int32(providerNames.count)
                providerNames.append(name)
            }
            // The names point into their copies, or else into the mapped cache.
            storage.append(found.storage ?? cache.file)
            // Growing the table would hash every name again.
            lookup.reserveCapacity(lookup.count + found.names.count)
            entries.reserveCapacity(entries.count + found.ids.count)
            var start = 0
            for (name, end) in zip(found.names, found.ends) {
                for id in found.ids[start..<end] {
                    let previous = lookup.updateValue(Int32(entries.count), forKey: name) ?? -1
                    entries.append(Entry(provider: global[Int(id)], next: previous))
                }
                start = end
            }
        }
    }
}
