import Demangle
import MappedFile
import ObjectModel

/// nm-style text: `VALUE LETTER NAME`, blank value for undefined symbols. Several images get
/// a `\nNAME:` heading each, as nm does for several files or archive members.
///
/// Names are demangled unless `demangle` is false; ELF symbol versions follow the name as nm
/// prints them (`name@@VERSION` for a default definition, `name@VERSION` otherwise). ELF section
/// and file symbols are left out, as GNU nm leaves them out without `-a`.
///
/// One image is written in three parts, so that its symbols can be rendered a chunk at a time
/// on several threads (`SymbolList`) and written in order: `header`, each `chunk`, `trailer`.
public struct SymbolListText: Sendable {
    public let image: ObjectImage
    /// The run-time symbols (XCOFF loader section, ELF .dynsym) instead of the symbol table.
    public let dynamic: Bool
    public let filter: SymbolFilter
    public let demangle: Bool
    public let list: SymbolList
    private let width: Int
    private let isELF: Bool
    /// Where each XCOFF import comes from, for the `[module]` column of `dynamic` listings.
    private let modules: [NameView: String]

    public init(_ image: ObjectImage, filter: SymbolFilter, dynamic: Bool = false, demangle: Bool = true) {
        self.image = image
        self.dynamic = dynamic
        self.filter = filter
        self.demangle = demangle
        list = image.symbolList(dynamic: dynamic)
        width = image.format.bits == 32 ? 8 : 16
        isELF = image.isELF
        modules = dynamic && !isELF ? LoaderText.modules(image) : [:]
    }

    /// The heading (with `headings`) and, for `dynamic`, the import file IDs.
    public func header(headings: Bool, to out: OutputBuffer) {
        if headings {
            out.write(byte: UInt8(ascii: "\n"))
            out.write(image.displayName)
            out.write(":\n" as StaticString)
        }
        if dynamic { LoaderText.renderHeader(image, to: out) }
    }

    /// The lines of the symbols of chunk `chunk` that pass the filter.
    public func chunk(_ chunk: Int, demangler: inout Demangler, to out: OutputBuffer) {
        list.forEach(chunk: chunk) { s in
            guard filter.accepts(s) else { return }
            if isELF && (s.kind == .section || s.kind == .file) { return }
            if s.defined {
                out.writeHex(s.value, width: width)
            } else {
                out.writeSpaces(width)
            }
            out.write(byte: UInt8(ascii: " "))
            out.write(byte: s.nmLetter)
            out.write(byte: UInt8(ascii: " "))
            // Undefined names recur across an archive's members: their results are remembered.
            if !demangle || demangler.withDemangled(s.name, remembering: !s.defined, { out.write($0) }) == nil {
                out.write(s.name)
            }
            if let v = s.version {
                out.write(s.versionDefault ? "@@" as StaticString : "@")
                out.write(v)
            }
            if dynamic, !isELF, !s.defined || image.format == .exp, let m = modules[s.name] {
                out.write(" [" as StaticString)
                out.write(m)
                out.write(byte: UInt8(ascii: "]"))
            }
            out.write(byte: UInt8(ascii: "\n"))
        }
    }

    /// Says so when the table has no symbols at all.
    public func trailer(to out: OutputBuffer) {
        if list.isEmpty {
            out.write(image.displayName)
            out.write(dynamic ? ": no dynamic symbols\n" as StaticString : ": no symbols\n")
        }
    }
}
