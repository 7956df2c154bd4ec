import Demangle
import MappedFile
import ObjectModel

/// nm-style text: `VALUE LETTER NAME`, blank value for undefined symbols. Several images get
/// a `\nNAME:` heading each, as nm does for several files or archive members.
///
/// Names are demangled unless `demangle` is false; ELF symbol versions follow the name as nm
/// prints them (`name@@VERSION` for a default definition, `name@VERSION` otherwise). ELF section
/// and file symbols are left out, as GNU nm leaves them out without `-a`.
public enum SymbolListText {
    /// With `dynamic`, lists the run-time symbols (XCOFF loader section, ELF .dynsym) after the
    /// import file IDs, each XCOFF import followed by the module it is expected from.
    public static func render(_ images: [ObjectImage], filter: SymbolFilter, headings: Bool, dynamic: Bool = false,
                              demangle: Bool = true, to out: OutputBuffer) {
        var demangler = Demangler()
        for image in images {
            if headings {
                out.write(byte: UInt8(ascii: "\n"))
                out.write(image.displayName)
                out.write(":\n" as StaticString)
            }
            let width = (image.format == .xcoff32 || image.format == .elf32) ? 8 : 16
            let symbols = dynamic ? image.dynamic?.symbols ?? [] : image.symbols
            var modules: [NameView: String] = [:]
            if dynamic {
                LoaderText.renderHeader(image, to: out)
                modules = LoaderText.modules(image)
            }
            let isELF = image.format == .elf32 || image.format == .elf64
            for s in symbols where filter.accepts(s) {
                if isELF && (s.kind == .section || s.kind == .file) { continue }
                if s.defined {
                    out.writeHex(s.value, width: width)
                } else {
                    for _ in 0..<width { out.write(byte: UInt8(ascii: " ")) }
                }
                out.write(byte: UInt8(ascii: " "))
                out.write(byte: s.nmLetter)
                out.write(byte: UInt8(ascii: " "))
                if !demangle || demangler.withDemangled(s.name, { out.write($0) }) == nil {
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
            if symbols.isEmpty {
                out.write(image.displayName)
                out.write(dynamic ? ": no dynamic symbols\n" as StaticString : ": no symbols\n")
            }
        }
    }
}
