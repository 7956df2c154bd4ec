import ImageLoader
import MappedFile
import ObjectModel

/// Symbols a linker said were undefined, as an image of undefined references, so they go
/// through the same resolution as the references of real inputs.
enum ReportedSymbols {
    /// The names live in an in-memory mapping owned by the image; `like` picks the format
    /// (XCOFF names with a leading dot are function entry points).
    static func image(_ names: [String], like model: ObjectImage?, aix: Bool) -> LoadResult {
        var bytes: [UInt8] = []
        var ranges: [(Int, Int)] = []
        for n in names {
            ranges.append((bytes.count, n.utf8.count))
            bytes += Array(n.utf8)
            bytes.append(0)
        }
        let storage = MappedFile(bytes: bytes, path: "<linker errors>")
        let format: ImageFormat = model?.format == .exp ? .xcoff64 : model?.format ?? (aix ? .xcoff64 : .elf64)
        let region = storage.region
        var symbols: [Symbol] = []
        for (offset, count) in ranges {
            guard let name = try? region.bytes(offset, count, "reported symbol") else { continue }
            let isEntryPoint = format.family == .xcoff && name.first == UInt8(ascii: ".")
            symbols.append(Symbol(name: name, value: 0, defined: false, binding: .global,
                                  kind: isEntryPoint ? .function : .data, nmLetter: UInt8(ascii: "U")))
        }
        var result = LoadResult(path: "<linker errors>")
        result.images = [ObjectImage(path: "<linker errors>", format: format, kind: .object, symbols: symbols, storage: storage)]
        return result
    }
}
