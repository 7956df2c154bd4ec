import MappedFile
import ObjectModel

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
        guard !wanted.isEmpty else { return }
        var remaining = Set(wanted)
        var seen = Set<String>()
        for dir in search.allDirectories where !remaining.isEmpty {
            let names = FileSystem.list(dir).filter { Self.looksLikeLibrary($0, family: target.family) }
            for name in names.sorted(by: { (Self.preference($0), $0) < (Self.preference($1), $1) }) {
                let path = dir + "/" + name
                // The same library under several names (libelf.so → libelf.so.1 → libelf-0.188.so).
                guard seen.insert(FileSystem.canonical(path)).inserted else { continue }
                guard let lib = Library.load(path: path, role: .suggested, target: target) else { continue }
                let hits = remaining.filter { lib.exports.contains($0) }
                guard !hits.isEmpty else { continue }
                libraries.append(lib)
                for k in hits { providers[k, default: []].append(lib.displayName) }
                remaining.subtract(hits)
                if remaining.isEmpty { break }
            }
        }
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
