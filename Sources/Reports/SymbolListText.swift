import MappedFile
import ObjectModel

/// nm-style text: `VALUE LETTER NAME`, blank value for undefined symbols. Several images get
/// a `\nNAME:` heading each, as nm does for several files or archive members.
public enum SymbolListText {
    /// With `dynamic`, lists the run-time symbols (XCOFF loader section) after the import
    /// file IDs, each import followed by the module it is expected from.
    public static func render(_ images: [ObjectImage], filter: SymbolFilter, headings: Bool, dynamic: Bool = false,
                              to out: OutputBuffer) {
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
            for s in symbols where filter.accepts(s) {
                if s.defined {
                    out.writeHex(s.value, width: width)
                } else {
                    for _ in 0..<width { out.write(byte: UInt8(ascii: " ")) }
                }
                out.write(byte: UInt8(ascii: " "))
                out.write(byte: s.nmLetter)
                out.write(byte: UInt8(ascii: " "))
                out.write(s.name)
                if dynamic, !s.defined || image.format == .exp, let m = modules[s.name] {
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
