import MappedFile
import ObjectModel
import ProviderIndex

/// The last resort for what is still unresolved: every library in the `-L` and default
/// directories, reported as suggestions.
extension Resolution {
    /// For what is still unresolved and has no provider yet, every library in the `-L` and
    /// default directories (and, for a link through a compiler driver, the driver's) is a
    /// candidate; `ProviderRanking` decides which one is suggested.
    mutating func searchLibraryDirectories() {
        guard options.searchLibraryDirectories else { return }
        let wanted = openOrder.filter {
            guard let r = open[$0], !r.weak else { return false }  // weak references may stay unresolved
            return providers[$0] == nil && !(platform == .linux && !options.embedded && PythonAPI.isPythonName($0))
        }
        guard !wanted.isEmpty, let family = ProviderFamily(of: firstTarget) else { return }
        let directories = suggestionDirectories
        // The index of every library in the directories (cached on disk, keyed by each
        // library's path, size, times and inode), so a second diagnosis does not read them
        // again; only the buckets of the names wanted are read from the cache.
        let index = ProviderIndex.load(directories: directories, family: family,
                                       cacheDirectory: options.providerCacheDirectory, useCache: options.useProviderCache,
                                       only: Set(wanted))
        var ranking = ProviderRanking(directories: directories)
        for lib in libraries { ranking.chosen.insert(lib.path) }
        let candidates = wanted.map { index.providers(of: $0) }
        for list in candidates { ranking.count(list) }
        var loaded: [String: Library] = [:]
        for (key, list) in zip(wanted, candidates) {
            let ranked = ranking.ranked(list)
            guard let best = ranked.first else { continue }
            let path = SuggestionRules.archivePath(best)
            let lib: Library
            if let l = loaded[path] {
                lib = l
            } else {
                guard let l = Library.load(path: path, role: .suggested, target: target, linkArguments: suggestedArguments(path)) else { continue }
                loaded[path] = l
                libraries.append(l)
                lib = l
            }
            ranking.chosen.insert(best)
            providers[key, default: []].append(lib.displayName)
            for other in ranked.dropFirst().prefix(3) {
                let name = FileSystem.baseName(other)
                if name != lib.displayName { providers[key, default: []].append(name) }
            }
        }
    }

    /// Where suggestions are looked for: the link's `-L` and default directories, then (for
    /// an ELF link through a compiler driver) the directories the driver makes the linker search.
    var suggestionDirectories: [String] {
        var dirs = search.allDirectories
        guard target.family == .elf, options.compilerDriver, options.defaultDirectories == nil else { return dirs }
        let known = Set(dirs.map { FileSystem.canonical($0) })
        for d in LinkerDirectories.driver where !known.contains(d) { dirs.append(d) }
        return dirs
    }

    /// How a suggested library is linked: the compiler flag people use for it when the link
    /// goes through a compiler driver (`-fopenmp` for libgomp), else `-L<dir> -l<name>`.
    func suggestedArguments(_ path: String) -> [String] {
        if options.compilerDriver, target.family == .elf, let flag = SuggestionRules.compilerFlag(for: path) { return [flag] }
        let args = Library.linkArguments(for: path, family: target.family)
        if target.family == .elf, let last = args.last, last.hasPrefix("-l:"), let name = developmentName(linking: path) {
            return ["-l\(name)"]
        }
        return args
    }

    /// `gcc_s` when `-lgcc_s` links `libgcc_s.so.1` from a directory the link searches anyway:
    /// the development name there is the same file, or a GNU ld script naming it (Debian's
    /// `libgcc_s.so` is `GROUP ( libgcc_s.so.1 -lgcc )`).
    func developmentName(linking path: String) -> String? {
        let base = FileSystem.baseName(path)
        guard base.hasPrefix("lib"), let so = base.range(of: ".so.") else { return nil }
        let name = String(base[base.index(base.startIndex, offsetBy: 3)..<so.lowerBound])
        let real = FileSystem.canonical(path)
        let dirs = options.libraryDirectories + (options.compilerDriver ? LinkerDirectories.driver : LinkerDirectories.linker)
        for dir in dirs {
            let dev = dir + "/lib\(name).so"
            guard FileSystem.isRegularFile(dev) else { continue }
            // The first libNAME.so decides what -lNAME links, as in the linker's search.
            if FileSystem.canonical(dev) == real { return name }
            guard !TargetKind(family: .elf).mightMatch(path: dev), let text = FileSystem.readText(dev),
                  text.hasPrefix("/* GNU ld script") || text.contains("GROUP") || text.contains("INPUT") else { return nil }
            return text.range(of: base) != nil ? name : nil
        }
        return nil
    }

    /// `-L` directories a fix need not name: those the link already has, and those the
    /// linker searches anyway.
    var directoriesSearchedAnyway: Set<String> {
        var dirs = Set(options.libraryDirectories.map { FileSystem.canonical($0) })
        if target.family == .elf {
            dirs.formUnion(options.compilerDriver ? LinkerDirectories.driver : LinkerDirectories.linker)
        } else {
            dirs.formUnion(search.defaultDirectories.map { FileSystem.canonical($0) })
        }
        return dirs
    }
}
