import MappedFile

/// How far a symbol is visible to the linker.
public enum Binding: String, Sendable {
    case global, weak, local
    /// ELF STB_GNU_UNIQUE: a global that the dynamic linker keeps unique per process.
    case unique
}

/// What a symbol names, in the terms every format shares.
public enum SymbolKind: String, Sendable {
    case function, data, file, section, other
}

/// Symbol visibility (ELF st_other, XCOFF n_type visibility bits).
public enum Visibility: String, Sendable {
    case `default`, `internal`, hidden, protected, exported
}

/// One symbol of an image, format-neutral. Names are views into the mapping (see `NameView`).
///
/// Format-specific facts ride along as typed numbers (`xcoff`); renderers name them.
public struct Symbol: Sendable {
    public var name: NameView
    public var value: UInt64
    /// Size in bytes where the format records it (XCOFF csect length, ELF st_size); 0 otherwise.
    public var size: UInt64 = 0
    public var defined: Bool
    public var binding: Binding
    public var kind: SymbolKind
    public var visibility: Visibility
    /// Section number as the format numbers it (XCOFF `n_scnum`: 0 N_UNDEF, -1 N_ABS, -2 N_DEBUG).
    public var sectionNumber: Int
    /// The letter nm shows for the symbol (`T`, `U`, `d`, …).
    public var nmLetter: UInt8
    /// XCOFF's storage class, csect symbol type and mapping class; nil for other formats.
    public var xcoff: XCOFFSymbolFacts?
    /// ELF symbol version (`GLIBC_2.14` of `memcpy@GLIBC_2.14`); nil when unversioned.
    public var version: NameView?
    /// True for a default version definition (`@@`); false for references and hidden versions.
    public var versionDefault: Bool = false

    public init(name: NameView, value: UInt64, defined: Bool, binding: Binding, kind: SymbolKind,
                visibility: Visibility = .default, sectionNumber: Int = 0, nmLetter: UInt8 = UInt8(ascii: "?"),
                xcoff: XCOFFSymbolFacts? = nil) {
        self.name = name
        self.value = value
        self.defined = defined
        self.binding = binding
        self.kind = kind
        self.visibility = visibility
        self.sectionNumber = sectionNumber
        self.nmLetter = nmLetter
        self.xcoff = xcoff
    }

    /// True for symbols another module can see or must provide (`--extern-only`).
    public var isExternal: Bool { binding != .local }

    /// A run-time table's definition that a link binds a new reference to: defined, external,
    /// default or protected visibility, and not only under a hidden version (`xdr_bool@GLIBC_2.2.5`
    /// stays in glibc for old binaries after the functions moved to libtirpc; the loader binds
    /// old versioned references to it, the linker never binds a new one).
    public var isLinkExport: Bool {
        defined && isExternal && (visibility == .default || visibility == .protected) && (version == nil || versionDefault)
    }
}
