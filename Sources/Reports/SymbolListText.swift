import Demangle
import ObjectModel

/// nm-style text: `VALUE LETTER NAME`, blank value for undefined symbols. Several images get
/// a `\nNAME:` heading each, as nm does for several files or archive members.
///
/// Names are demangled unless `demangle` is false; ELF symbol versions follow the name as nm
/// prints them (`name@@VERSION` for a default definition, `name@VERSION` otherwise). ELF section
/// and file symbols are left out, as GNU nm leaves them out without `-a`.
public enum SymbolListText {
    public static func render(_ images: [ObjectImage], filter: SymbolFilter, headings: Bool, demangle: Bool = true,
                              to out: OutputBuffer) {
        var demangler = Demangler()
        for image in images {
            if headings {
                out.write(byte: UInt8(ascii: "\n"))
                out.write(image.displayName)
                out.write(":\n" as StaticString)
            }
            let width = (image.format == .xcoff32 || image.format == .elf32) ? 8 : 16
            let isELF = image.format == .elf32 || image.format == .elf64
            for s in image.symbols where filter.accepts(s) {
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
                out.write(byte: UInt8(ascii: "\n"))
            }
            if image.symbols.isEmpty {
                out.write(image.displayName)
                out.write(": no symbols\n" as StaticString)
            }
        }
    }
}
