import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel
import XCOFF

/// AIX import/export lists (`.exp`): the `looksLikeOne` sniffing, the line parser (`#!` module
/// lines, mode lines, comments, symbols with qualifiers) and the conversion to an image.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExp(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let file = fuzzInput(bytes, size, path: "fuzz.exp")
    _ = ImportExportFile.looksLikeOne(file.region, path: "fuzz.exp")
    guard let e = try? ImportExportFile(file.region) else { return 0 }
    let image = e.image(path: "fuzz.exp", storage: file)
    var total = 0
    for s in image.symbols { total &+= s.name.count }
    for entry in e.entries { total &+= entry.qualifier?.count ?? 0 }
    blackHole(total)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzExp) }
}
