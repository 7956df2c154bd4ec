import ImageLoader
import MappedFile
import ObjectModel

/// Symbols a linker said were undefined, as an image of undefined references, so they go
/// through the same resolution as the references of real inputs.
enum ReportedSymbols {
    /// The image's path: what the linker's error lines are called where an input is named.
    static let path = "<linker errors>"

    /// The names live in an in-memory mapping owned by the image; `like` picks the format
    /// (XCOFF names with a leading dot are function entry points).
    /// `bits`: the link's width from its options when no input shows it (gone inputs).
    static func image(_ names: [String], like model: ObjectImage?, aix: Bool, bits: Int? = nil) -> LoadResult {
        var bytes: [UInt8] = []
        var ranges: [(Int, Int)] = []
        for n in names {
            ranges.append((bytes.count, n.utf8.count))
            bytes += Array(n.utf8)
            bytes.append(0)
        }
        let storage = MappedFile(bytes: bytes, path: Self.path)
        let wide = bits != 32
        let format: ImageFormat = model.flatMap { $0.format == .exp ? nil : $0.format }
            ?? (aix ? (wide ? .xcoff64 : .xcoff32) : (wide ? .elf64 : .elf32))
        let region = storage.region
        var symbols: [Symbol] = []
        for (offset, count) in ranges {
            guard let name = try? region.bytes(offset, count, "reported symbol") else { continue }
            let isEntryPoint = format.family == .xcoff && name.first == UInt8(ascii: ".")
            symbols.append(Symbol(name: name, value: 0, defined: false, binding: .global,
                                  kind: isEntryPoint ? .function : .data, nmLetter: UInt8(ascii: "U")))
        }
        var result = LoadResult(path: Self.path)
        result.images = [ObjectImage(path: Self.path, format: format, kind: .object, symbols: symbols, storage: storage)]
        return result
    }
}
