import CFuzzer
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
    let data = UnsafeRawPointer(bytes)
    let file = MappedFile(bytes: UnsafeRawBufferPointer(start: data, count: size), path: "fuzz.exp")
    _ = ImportExportFile.looksLikeOne(file.region, path: "fuzz.exp")
    guard let e = try? ImportExportFile(file.region) else { return 0 }
    let image = e.image(path: "fuzz.exp", storage: file)
    var total = 0
    for s in image.symbols { total &+= s.name.count }
    for entry in e.entries { total &+= entry.qualifier?.count ?? 0 }
    blackHole(total)
    return 0
}

@inline(never) func blackHole(_ x: Int) { if x == -1 { print("") } }

@main
enum Main {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzExp))
    }
}
