import ObjectModel

/// nm-style text: `VALUE LETTER NAME`, blank value for undefined symbols. Several images get
/// a `\nNAME:` heading each, as nm does for several files or archive members.
public enum SymbolListText {
    public static func render(_ images: [ObjectImage], filter: SymbolFilter, headings: Bool, to out: OutputBuffer) {
        for image in images {
            if headings {
                out.write(byte: UInt8(ascii: "\n"))
                out.write(image.displayName)
                out.write(":\n" as StaticString)
            }
            let width = (image.format == .xcoff32 || image.format == .elf32) ? 8 : 16
            for s in image.symbols where filter.accepts(s) {
                if s.defined {
                    out.writeHex(s.value, width: width)
                } else {
                    for _ in 0..<width { out.write(byte: UInt8(ascii: " ")) }
                }
                out.write(byte: UInt8(ascii: " "))
                out.write(byte: s.nmLetter)
                out.write(byte: UInt8(ascii: " "))
                out.write(s.name)
                out.write(byte: UInt8(ascii: "\n"))
            }
            if image.symbols.isEmpty {
                out.write(image.displayName)
                out.write(": no symbols\n" as StaticString)
            }
        }
    }
}
