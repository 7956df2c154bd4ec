import ImageLoader
import MappedFile
import ObjectModel

/// A library that may provide symbols: what it exports, and how to link it.
public final class Library: @unchecked Sendable {
    /// Why the library is in the picture, which is also the order providers are tried in.
    public enum Role: String, Sendable {
        /// The image already links it (ELF DT_NEEDED, XCOFF loader import module).
        case linked
        /// Given on the command line (`-l`, `--lib`), so part of the link.
        case given
        /// libpython and its companions, from the Python configuration.
        case python
        /// Found by searching the library directories for what is still unresolved.
        case suggested
    }

    public let path: String
    public let role: Role
    /// `libpython3.9.a(libpython3.9.so)`, `libz.so.1`, `python.exp`.
    public let displayName: String
    public let exports: Set<NameView>
    /// The arguments that link it: `-L/dir`, `-lname` (or the path, or `-bI:file.exp`).
    public let linkArguments: [String]
    /// True for an import list whose `#!` module is `.`, the main program (`python.exp`).
    public let importsFromMainProgram: Bool
    /// Keeps the mappings behind `exports` alive.
    let images: [ObjectImage]
    /// How many unresolved references it provides (filled in by the diagnosis).
    public internal(set) var provides = 0
    /// An `ar` archive without members (glibc's libpthread.a since 2.34): valid, provides nothing.
    public internal(set) var isEmptyArchive = false
    /// Given, but before the inputs that need it (a `library-order` finding says so).
    public internal(set) var misplaced = false
    /// Added by the compiler driver, not written on the command line.
    public internal(set) var implicit = false
    /// Its definitions by version, built on first use (see VersionCheck.swift).
    var versionedDefinitions: VersionedDefinitions?

    init(path: String, role: Role, images: [ObjectImage], linkArguments: [String]) {
        self.path = path
        self.role = role
        self.images = images
        self.linkArguments = linkArguments
        let keys = images.map { $0.exportedKeys() }
        var exports = Set<NameView>(minimumCapacity: keys.reduce(0) { $0 + $1.count })
        for k in keys { exports.formUnion(k) }
        self.exports = exports
        let members = images.compactMap(\.member)
        let base = FileSystem.baseName(path)
        displayName = members.count == 1 ? "\(base)(\(members[0]))" : base
        importsFromMainProgram = images.contains { $0.format == .exp && $0.dynamic?.imports.first?.module?.base == "." }
    }

    /// Loads the library at `path`, keeping only images the target can link with: the same
    /// format family, and for XCOFF the same width (AIX archives hold 32- and 64-bit members).
    /// Returns nil when nothing in it fits.
    static func load(path: String, role: Role, target: TargetKind, linkArguments: [String]? = nil) -> Library? {
        guard target.mightMatch(path: path) else { return nil }
        let result = ImageLoader.load(path: path)
        let images = result.images.filter { target.accepts($0) }
        guard !images.isEmpty else { return nil }
        return Library(path: path, role: role, images: images,
                       linkArguments: linkArguments ?? Self.linkArguments(for: path, family: target.family))
    }

    /// The same over an image already read (a wheel member, which has no path on disk).
    static func load(_ loaded: LoadResult, path: String, role: Role, target: TargetKind) -> Library? {
        let images = loaded.images.filter { target.accepts($0) }
        guard !images.isEmpty else { return nil }
        return Library(path: path, role: role, images: images, linkArguments: [])
    }

    /// `-L<dir> -l<name>` for `lib<name>.so`/`lib<name>.a`; `-l:<file>` for versioned sonames
    /// (`libz.so.1` has no `-lz` without the development symlink); `-bI:` for import lists.
    static func linkArguments(for path: String, family: LibrarySearch.Family) -> [String] {
        let dir = FileSystem.canonical(FileSystem.directory(of: path))
        let base = FileSystem.baseName(path)
        if base.hasSuffix(".exp") || base.hasSuffix(".imp") { return ["-bI:\(path)"] }
        guard base.hasPrefix("lib") else { return [path] }
        // `libelf-0.188.so` or `libz.so.1.2.13` reached by its real name: link it by the
        // development symlink that points at the same file (`-lelf`), when there is one.
        if family == .elf, let dev = developmentName(of: path, in: dir) {
            return ["-L\(dir)", "-l\(dev)"]
        }
        let stem = base.dropFirst(3)
        for suffix in [".so", ".a"] where stem.hasSuffix(suffix) {
            return ["-L\(dir)", "-l\(stem.dropLast(suffix.count))"]
        }
        if family == .elf, stem.contains(".so.") {
            let plain = dir + "/lib" + stem.prefix(while: { $0 != "." }) + ".so"
            if FileSystem.isRegularFile(plain) { return ["-L\(dir)", "-l\(stem.prefix(while: { $0 != "." }))"] }
            return ["-L\(dir)", "-l:\(base)"]
        }
        return [path]
    }
}

extension Library {
    /// Why a library the target cannot use was refused, for the report: "has only XCOFF64
    /// members; the target is XCOFF32", "is ELF; the target is XCOFF", "is not a library".
    static func whyUnusable(path: String, target: TargetKind) -> String {
        guard FileSystem.isRegularFile(path) else { return "does not exist" }
        let formats = Set(ImageLoader.load(path: path).images.map(\.format))
        let targetName = target.family == .xcoff ? "XCOFF\(target.xcoffBits.map(String.init) ?? "")"
            : "ELF\(target.elfBits.map(String.init) ?? "")"
        guard !formats.isEmpty else { return "holds no object, shared object or import list" }
        let names = formats.map { $0.rawValue.uppercased() }.sorted()
        return "has only \(names.joined(separator: " and ")) \(formats.count == 1 ? "content" : "contents"); the target is \(targetName)"
    }
}

/// The `NAME` of a `libNAME.so` in `dir` that is the same file as `path`, if any.
func developmentName(of path: String, in dir: String) -> String? {
    let target = FileSystem.canonical(path)
    let base = FileSystem.baseName(path)
    // Only names that could be this library: `libelf.so` for `libelf-0.188.so`/`libelf.so.1`.
    let prefix = String(base.prefix { $0 != "-" && $0 != "." })
    for name in FileSystem.list(dir, prefix: prefix) where name.hasPrefix(prefix) && name.hasSuffix(".so") && name != base {
        let stem = name.dropFirst(3).dropLast(3)
        if !stem.isEmpty, !stem.contains("."), FileSystem.canonical(dir + "/" + name) == target { return String(stem) }
    }
    return nil
}

/// What the diagnosed images are, so providers of another format or width are left out.
public struct TargetKind: Sendable {
    public var family: LibrarySearch.Family
    /// XCOFF width (32 or 64); nil for ELF or when unknown.
    public var xcoffBits: Int?
    /// ELF class (32 or 64).
    public var elfBits: Int?
    /// ELF machine (`x86-64`); a library for another machine is skipped, as ld and ld.so do.
    public var elfMachine: String?

    /// The kind of `image`: its family and width.
    init(of image: ObjectImage) {
        family = image.isXCOFF || image.format == .exp ? .xcoff : .elf
        xcoffBits = image.isXCOFF ? image.format.bits : nil
        elfBits = image.isELF ? image.format.bits : nil
        elfMachine = image.isELF ? image.machine : nil
    }

    init(family: LibrarySearch.Family, xcoffBits: Int? = nil, elfBits: Int? = nil) {
        self.family = family
        self.xcoffBits = xcoffBits
        self.elfBits = elfBits
    }

    func accepts(_ image: ObjectImage) -> Bool {
        if let m = elfMachine, let other = image.machine, !image.isXCOFF, other != m { return false }
        switch image.format {
        case .exp: return family == .xcoff
        case .xcoff32: return family == .xcoff && (xcoffBits ?? 32) == 32
        case .xcoff64: return family == .xcoff && (xcoffBits ?? 64) == 64
        case .elf32: return family == .elf && (elfBits ?? 32) == 32
        case .elf64: return family == .elf && (elfBits ?? 64) == 64
        }
    }

    /// A cheap look at the first bytes, so a search of /usr/lib does not parse every ELF
    /// library when the target is XCOFF (and the reverse).
    func mightMatch(path: String) -> Bool {
        if path.hasSuffix(".exp") || path.hasSuffix(".imp") { return family == .xcoff }
        guard let f = try? MappedFile(path: path), let kind = try? FileKind.sniff(f.region) else { return false }
        switch kind {
        case .elf, .arArchive: return family == .elf
        case .xcoff, .aixBigArchive, .aixSmallArchive: return family == .xcoff
        default: return false
        }
    }
}
