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

    public init() {}
}
