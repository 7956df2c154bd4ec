import MappedFile

/// The container format of an image.
public enum ImageFormat: String, Sendable {
    case xcoff32, xcoff64
    case elf32, elf64
    /// An AIX import/export (`.exp`) file.
    case exp
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
    /// Symbol table entries in file order (auxiliary entries are not symbols).
    public var symbols: [Symbol]
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

    /// `archive.a(member.o)` for members, the path otherwise: how AIX and nm name them.
    public var displayName: String {
        if let member { return "\(path)(\(member))" }
        return path
    }
}
