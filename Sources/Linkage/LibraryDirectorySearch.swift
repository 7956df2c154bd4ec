import MappedFile
import ObjectModel
import ProviderIndex

/// The last resort for what is still unresolved: every library in the `-L` and default
/// directories, reported as suggestions.
extension Resolution {
    /// For what is still unresolved and has no provider yet, every library in the `-L` and
    /// default directories is a candidate; the first that exports a symbol is suggested.
    mutating func searchLibraryDirectories() {
        guard options.searchLibraryDirectories else { return }
        let wanted = openOrder.filter {
            guard let r = open[$0], !r.weak else { return false }  // weak references may stay unresolved
            return providers[$0] == nil && !(platform == .linux && !options.embedded && PythonAPI.isPythonName($0))
        }
        guard !wanted.isEmpty, let family = ProviderFamily(of: firstTarget) else { return }
        // The index of every library in the directories (cached on disk, keyed by each
        // library's path, size, times and inode), so a second diagnosis does not read them
        // again; only the buckets of the names wanted are read from the cache.
        let index = ProviderIndex.load(directories: search.allDirectories, family: family,
                                       cacheDirectory: options.providerCacheDirectory, useCache: options.useProviderCache,
                                       only: Set(wanted))
        let order = Dictionary(search.allDirectories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var loaded: [String: Library] = [:]
        // Each provider's rank, worked out once: many names share their providers.
        var ranks: [String: (Int, Int)] = [:]
        for key in wanted {
            let candidates = index.providers(of: key)
            // Prefer the first directory, then the name `-lfoo` finds, as the linker would.
            let keyed = candidates.map { p -> ((Int, Int), String) in
                if let r = ranks[p] { return (r, p) }
                let r = Self.rank(p, order)
                ranks[p] = r
                return (r, p)
            }
            let ranked = keyed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
            guard let best = ranked.first else { continue }
            let path = Self.archivePath(best)
            let lib: Library
            if let l = loaded[path] {
                lib = l
            } else {
                guard let l = Library.load(path: path, role: .suggested, target: target) else { continue }
                loaded[path] = l
                libraries.append(l)
                lib = l
            }
            providers[key, default: []].append(lib.displayName)
            for other in ranked.dropFirst().prefix(3) {
                let name = FileSystem.baseName(other)
                if name != lib.displayName { providers[key, default: []].append(name) }
            }
        }
    }

    /// `lib.a(member)` names a member of `lib.a`.
    static func archivePath(_ provider: String) -> String {
        guard provider.hasSuffix(")"), let open = provider.lastIndex(of: "(") else { return provider }
        return String(provider[..<open])
    }

    static func rank(_ provider: String, _ order: [String: Int]) -> (Int, Int) {
        let path = archivePath(provider)
        return (order[FileSystem.directory(of: path)] ?? Int.max, preference(FileSystem.baseName(path)))
    }

    /// Which of a directory's files to suggest first: the development name `libfoo.so` (what
    /// `-lfoo` finds), then versioned sonames, then archives, then the rest.
    static func preference(_ name: String) -> Int {
        let stem = name.dropFirst(3)
        if name.hasSuffix(".so") && !stem.contains("-") && !stem.dropLast(3).contains(".") { return 0 }
        if name.contains(".so.") { return 1 }
        if name.hasSuffix(".so") { return 2 }
        if name.hasSuffix(".a") && !stem.contains("-") { return 3 }
        return 4
    }

    static func looksLikeLibrary(_ name: String, family: LibrarySearch.Family) -> Bool {
        if family == .xcoff { return name.hasSuffix(".a") || name.hasSuffix(".so") || name.hasSuffix(".exp") }
        return name.hasPrefix("lib") && (name.hasSuffix(".so") || name.contains(".so.") || name.hasSuffix(".a"))
    }
}
