import MappedFile

/// The container format of an image.
public enum ImageFormat: String, Sendable {
    case xcoff32, xcoff64
    case elf32, elf64
    /// An AIX import/export (`.exp`) file.
    case exp

    /// The format family, whatever the width: the one question most consumers ask.
    public var family: FormatFamily {
        switch self {
        case .xcoff32, .xcoff64: .xcoff
        case .elf32, .elf64: .elf
        case .exp: .exp
        }
    }

    /// 32 or 64 (XCOFF32/ELFCLASS32, XCOFF64/ELFCLASS64); nil for an import list, which has no width.
    public var bits: Int? {
        switch self {
        case .xcoff32, .elf32: 32
        case .xcoff64, .elf64: 64
        case .exp: nil
        }
    }
}

/// XCOFF (AIX), ELF, or an AIX import/export list.
public enum FormatFamily: String, Sendable {
    case xcoff, elf, exp
}

extension ObjectImage {
    public var isXCOFF: Bool { format.family == .xcoff }
    public var isELF: Bool { format.family == .elf }
}

/// What an image is for.
public enum ImageKind: String, Sendable {
    case object, executable, shared
    /// An import/export list (`.exp`): names only, no code.
    case importExport = "import-export"
}

/// One object, shared object, executable or import file, as every reader produces it.
///
/// Keeps its `MappedFile` alive, so the `NameView`s in `symbols` stay valid while it lives.
public struct ObjectImage: Sendable {
    /// Path of the file on disk (for an archive member, the archive's path).
    public var path: String
    /// Archive member name, when the image is a member of an archive.
    public var member: String?
    public var format: ImageFormat
    public var kind: ImageKind
    /// Symbol table entries in file order (auxiliary entries are not symbols). Empty when the
    /// image was read with `ReadOptions.deferSymbols`: see `deferredSymbols`.
    public var symbols: [Symbol]
    /// The symbol table as a decoder, when the image was read with `ReadOptions.deferSymbols`.
    public var deferredSymbols: (any SymbolDecoder)?
    /// Run-time linkage: XCOFF loader section or ELF dynamic section; nil for objects.
    public var dynamic: DynamicInfo?
    /// Notes about the image worth telling a user (e.g. "stripped: no symbol table").
    public var notes: [String]
    /// The mapping the name views point into.
    public let storage: MappedFile?
    /// Target machine as the format names it (ELF `e_machine`: "x86-64", "aarch64", …); nil
    /// when the reader does not say. Used to tell a mismatched link set apart from a missing symbol.
    public var machine: String?
    /// ELF `EI_OSABI` ("SYSV", "GNU", "FreeBSD", …); nil for other formats.
    public var osABI: String?
    /// True for an ELF image built for Android (it has a `.note.android.ident` section): the
    /// platform policy for Python extensions differs there (libpython must be linked).
    public var isAndroid = false

    public init(path: String, member: String? = nil, format: ImageFormat, kind: ImageKind,
                symbols: [Symbol] = [], notes: [String] = [], storage: MappedFile?) {
        self.path = path
        self.member = member
        self.format = format
        self.kind = kind
        self.symbols = symbols
        self.notes = notes
        self.storage = storage
    }

    /// The symbol table (or with `dynamic`, the run-time symbols), however it was read.
    public func symbolList(dynamic: Bool) -> SymbolList {
        if dynamic {
            if let d = self.dynamic?.deferredSymbols { return SymbolList(d) }
            return SymbolList(self.dynamic?.symbols ?? [])
        }
        if let d = deferredSymbols { return SymbolList(d) }
        return SymbolList(symbols)
    }

    /// `archive.a(member.o)` for members, the path otherwise: how AIX and nm name them.
    public var displayName: String {
        if let member { return "\(path)(\(member))" }
        return path
    }
}

/// What a reader is asked to read of an image. The default reads everything into arrays, which
/// is what the diagnosis and the checks need.
public struct ReadOptions: Sendable {
    /// Hand symbol tables over as `SymbolDecoder`s (`ObjectImage.deferredSymbols`,
    /// `DynamicInfo.deferredSymbols`) instead of arrays: for listing. Views derived from every
    /// symbol (ELF `DynamicInfo.imports` and `exports`) are left empty for a table handed over
    /// as a decoder. A reader may still hand a table over as an array where a decoder costs
    /// more: ELF does for tables under 8192 entries, since its decoder keeps libelf's state of
    /// the whole file alive until the listing is written.
    public var deferSymbols = false
    /// Read the symbol table (ELF `.symtab`; XCOFF's symbol table).
    public var staticSymbols = true
    /// Read the ELF dynamic symbol table (`.dynsym`). The dynamic section itself (NEEDED,
    /// SONAME, run paths) and XCOFF's loader section are always read.
    public var dynamicSymbols = true

    public init(deferSymbols: Bool = false, staticSymbols: Bool = true, dynamicSymbols: Bool = true) {
        self.deferSymbols = deferSymbols
        self.staticSymbols = staticSymbols
        self.dynamicSymbols = dynamicSymbols
    }

    /// Everything, in arrays.
    public static let all = ReadOptions()

    /// What a listing of one table needs: that table, decoded as it is listed.
    public static func listing(dynamic: Bool) -> ReadOptions {
        ReadOptions(deferSymbols: true, staticSymbols: !dynamic, dynamicSymbols: dynamic)
    }
}
