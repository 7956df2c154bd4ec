#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile
import ObjectModel

/// Which of the libraries that export a symbol to suggest, and in which order: the one rule
/// behind every suggestion (`diagnose`, `link-line`, `providers`).
///
/// Left out: interposers and sanitizer runtimes (`SuggestionRules.isInterposer`), and a
/// library that exports the name while one of the libraries it links (DT_NEEDED) exports it
/// too: it interposes or re-exports that name, and the library it links is the origin
/// (libasan exports `lgamma` and needs libm.so.6, which defines it); and an archive beside a
/// shared object of the same library (`isShadowedArchive`).
///
/// The others, best first: a library already on the link line or already suggested (one
/// more library is the last thing a fix should add); the C/C++ runtime's own libraries for
/// their symbols; the library that provides more of the unresolved names; the development
/// name (`libfoo.so`, which `-lfoo` finds) before a versioned soname or an archive; then the
/// directory order of the search, then the name.
public struct ProviderRanking {
    /// Providers (index names) already linked or already suggested.
    public var chosen: Set<String> = []
    /// How many of the unresolved names each library exports, by `libraryKey`.
    private var coverage: [String: Int] = [:]
    private let directoryOrder: [String: Int]
    /// DT_SONAME and DT_NEEDED of each provider looked at, read once.
    private var linkInfo: [String: (soname: String?, needed: Set<String>)] = [:]

    /// `directories`: the search order, first first.
    public init(directories: [String]) {
        directoryOrder = Dictionary(directories.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Counts the providers of one unresolved name toward the coverage of their libraries.
    public mutating func count(_ providers: [String]) {
        for key in Set(providers.map(Self.libraryKey)) { coverage[key, default: 0] += 1 }
    }

    /// One library whatever its file: `libc.so.6` and `libc.a` in one directory are both what
    /// `-lc` links there, so a static-only name does not make the archive "cover more".
    static func libraryKey(_ p: String) -> String {
        let path = SuggestionRules.archivePath(p)
        return SuggestionRules.directory(of: path) + "/" + SuggestionRules.stem(path)
    }

    /// `candidates` (the index's providers of one name) without the ones never to suggest,
    /// best first.
    public mutating func ranked(_ candidates: [String]) -> [String] {
        let usable = candidates.filter { !SuggestionRules.isInterposer($0) && !Self.isShadowedArchive($0) }
        let sonames = usable.map { p -> Set<String> in
            var names: Set<String> = [SuggestionRules.baseName(SuggestionRules.archivePath(p))]
            if let s = info(p).soname { names.insert(s) }
            return names
        }
        var kept: [String] = []
        for (i, p) in usable.enumerated() {
            let needed = info(p).needed
            let reexports = !needed.isEmpty && sonames.indices.contains { j in j != i && !sonames[j].isDisjoint(with: needed) }
            if !reexports { kept.append(p) }
        }
        let keyed = kept.map { ($0, key($0)) }
        return keyed.sorted { a, b in
            for (x, y) in zip(a.1, b.1) where x != y { return x < y }
            return a.0 < b.0
        }.map(\.0)
    }

    /// An archive beside a shared object of the same library (`libc.a` and `libc.so`): `-lc`
    /// links the shared object, so a name only the archive defines (a static-only glibc
    /// internal) is not what `-lc` gives, and linking the archive into a shared module by its
    /// file name is no fix either.
    static func isShadowedArchive(_ p: String) -> Bool {
        guard p.hasSuffix(".a") else { return false }
        let dir = SuggestionRules.directory(of: p)
        return access(dir + "/" + SuggestionRules.stem(p) + ".so", F_OK) == 0
    }

    private func key(_ p: String) -> [Int] {
        let path = SuggestionRules.archivePath(p)
        return [chosen.contains(p) || chosen.contains(path) ? 0 : 1,
                SuggestionRules.isRuntime(p) ? 0 : 1,
                -(coverage[Self.libraryKey(p)] ?? 0),
                SuggestionRules.preference(SuggestionRules.baseName(path)),
                directoryOrder[SuggestionRules.directory(of: path)] ?? Int.max]
    }

    /// A shared object's soname and needed libraries; nothing for archives and members
    /// (an archive member is linked into the module, it does not link anything).
    private mutating func info(_ p: String) -> (soname: String?, needed: Set<String>) {
        if let i = linkInfo[p] { return i }
        var i: (soname: String?, needed: Set<String>) = (nil, [])
        if !p.hasSuffix(")") {
            let r = ImageLoader.load(path: p, foundInDirectory: true, options: ReadOptions(staticSymbols: false, dynamicSymbols: false))
            if let image = r.images.first, r.images.count == 1, image.kind == .shared, let d = image.dynamic {
                i = (d.soname, Set(d.importModules.map(\.base)))
            }
        }
        linkInfo[p] = i
        return i
    }
}

/// The facts behind `ProviderRanking` that depend on a library's name alone.
public enum SuggestionRules {
    /// Libraries that export the C library's (or the allocator's) names in order to replace
    /// them at run time: sanitizer runtimes, malloc debuggers, profilers, fakeroot. Linking one
    /// changes what the program does (an AddressSanitizer runtime linked into an extension
    /// module aborts the import unless it is preloaded), so they are never a fix, whatever
    /// they export. Matched on the name before its first `.` or `-` (`libfakeroot-0.so`).
    static let interposers: Set<String> = [
        "libasan", "libtsan", "libubsan", "liblsan", "libhwasan",  // sanitizer runtimes (GCC, LLVM)
        "libclang_rt.asan", "libclang_rt.tsan", "libclang_rt.ubsan_standalone", "libclang_rt.lsan",
        "libmemusage", "libc_malloc_debug", "libpcprofile", "libSegFault",  // glibc's debugging preloads
        "libfakeroot", "libeatmydata", "libfaketime", "libfaketimeMT",  // LD_PRELOAD tools
        "libvtv",  // GCC's vtable verification runtime, preloaded with -fvtable-verify
    ]

    /// The C and C++ runtime's own libraries: when one exports a symbol it is where the
    /// symbol comes from.
    static let runtime: Set<String> = ["libc", "libm", "libstdc++", "libgcc", "libgcc_s", "libatomic"]

    /// Runtime libraries that people link through a compiler flag, which also adds what the
    /// flag needs besides the library (OpenMP: `-fopenmp` links libgomp and defines _OPENMP).
    static let compilerFlags: [String: String] = ["libgomp": "-fopenmp", "libitm": "-fgnu-tm"]

    public static func isInterposer(_ provider: String) -> Bool {
        let s = stem(provider)
        return interposers.contains(s) || interposers.contains { s.hasPrefix($0 + ".") }
    }

    public static func isRuntime(_ provider: String) -> Bool { runtime.contains(stem(provider)) }

    /// The compiler flag that links `provider` (`-fopenmp` for libgomp), or nil.
    public static func compilerFlag(for provider: String) -> String? { compilerFlags[stem(provider)] }

    /// `libasan.so.8` → `libasan`, `libfakeroot-0.so` → `libfakeroot`, `libc.a(shr_64.o)` →
    /// `libc`; LLVM's `libclang_rt.asan-x86_64.so` → `libclang_rt.asan`.
    static func stem(_ provider: String) -> String {
        let base = baseName(archivePath(provider))
        // LLVM names its runtimes by a dotted stem and the architecture after a dash.
        if base.hasPrefix("libclang_rt.") { return String(base.prefix { $0 != "-" }) }
        return String(base.prefix { $0 != "." && $0 != "-" })
    }

    /// Which of a directory's files to suggest first: the development name `libfoo.so` (what
    /// `-lfoo` finds), then versioned sonames, then archives, then the rest.
    public static func preference(_ name: String) -> Int {
        let stem = name.dropFirst(3)
        if name.hasSuffix(".so") && !stem.contains("-") && !stem.dropLast(3).contains(".") { return 0 }
        if name.contains(".so.") { return 1 }
        if name.hasSuffix(".so") { return 2 }
        if name.hasSuffix(".a") && !stem.contains("-") { return 3 }
        return 4
    }

    /// `lib.a(member)` names a member of `lib.a`.
    public static func archivePath(_ provider: String) -> String {
        guard provider.hasSuffix(")"), let open = provider.lastIndex(of: "(") else { return provider }
        return String(provider[..<open])
    }

    static func baseName(_ path: String) -> String { PathName.baseName(path) }

    static func directory(of path: String) -> String { PathName.directory(of: path) }
}
