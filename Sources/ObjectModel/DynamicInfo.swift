import MappedFile

/// A module an image imports from at run time: an XCOFF import file ID (path, base, member) or
/// an ELF DT_NEEDED entry (base only).
public struct ImportModule: Sendable, Hashable {
    public var path: String
    public var base: String
    public var member: String

    public init(path: String = "", base: String, member: String = "") {
        self.path = path
        self.base = base
        self.member = member
    }

    /// `libc.a(shr_64.o)`, `/usr/lib/libc.a(shr_64.o)`, or `libz.so.1`: how AIX's dump names it.
    public var displayName: String {
        let file = path.isEmpty ? base : (path.hasSuffix("/") ? path + base : path + "/" + base)
        return member.isEmpty ? file : "\(file)(\(member))"
    }
}

/// A symbol an image needs at run time, and the module expected to provide it (nil when the
/// format does not say: ELF, or an XCOFF import with file index 0, which nobody provides).
public struct DynamicImport: Sendable {
    public var name: NameView
    public var module: ImportModule?
    public var weak: Bool

    public init(name: NameView, module: ImportModule?, weak: Bool = false) {
        self.name = name
        self.module = module
        self.weak = weak
    }
}

/// The symbol versions an image needs from one DT_NEEDED library (`.gnu.version_r`): glibc's
/// loader refuses the image unless the library found defines every one of them.
public struct VersionNeed: Sendable, Equatable {
    /// The library's DT_NEEDED name (`libc.so.6`).
    public var file: String
    /// `GLIBC_2.14`, `GLIBC_2.34`, …
    public var versions: [String]

    public init(file: String, versions: [String]) {
        self.file = file
        self.versions = versions
    }
}

/// The run-time linkage view of an executable or shared object: XCOFF's `.loader` section or
/// ELF's dynamic section and `.dynsym`.
public struct DynamicInfo: Sendable {
    /// The dynamic symbol table (ELF `.dynsym`; XCOFF loader symbols), in file order.
    public var symbols: [Symbol] = []
    /// The dynamic symbol table as a decoder, when read with `ReadOptions.deferSymbols`.
    public var deferredSymbols: (any SymbolDecoder)?
    /// XCOFF: import file ID 0, the library search path; nil for ELF.
    public var libraryPath: String?
    /// Modules imported from, in file order (XCOFF import IDs 1...; ELF DT_NEEDED).
    public var importModules: [ImportModule] = []
    public var imports: [DynamicImport] = []
    /// Names exported at run time.
    public var exports: [NameView] = []
    /// ELF DT_SONAME.
    public var soname: String?
    /// ELF DT_RPATH and DT_RUNPATH, split at `:`.
    public var rpath: [String] = []
    public var runpath: [String] = []
    /// ELF `.gnu.version_d`: the version names the image defines, by ascending index (the base
    /// version, named after the soname, first). Empty when the image defines no versions.
    public var versionDefinitions: [String] = []
    /// ELF `.gnu.version_r`: the versions needed from each library.
    public var versionNeeds: [VersionNeed] = []

    public init() {}
}
