import CFuzzer
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel
import XCOFF

/// An XCOFF object, executable or shared object: headers, the whole symbol table with its
/// string table, csect auxiliary entries and `.debug` names, the classification into the model,
/// and the loader section when there is one (`XCOFFFile.image`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXCOFF(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = UnsafeRawPointer(bytes)
    let file = MappedFile(bytes: UnsafeRawBufferPointer(start: data, count: size), path: "fuzz")
    guard let x = try? XCOFFFile(file.region) else { return 0 }
    if let image = try? x.image(path: "fuzz") {
        // Touch every name, as the renderers do.
        var total = 0
        for s in image.symbols { total &+= s.name.count &+ Int(s.name.first ?? 0) }
        if let d = image.dynamic { for s in d.symbols { total &+= s.name.count } }
        blackHole(total)
    }
    return 0
}

@inline(never) func blackHole(_ x: Int) { if x == -1 { print("") } }

@main
enum Main {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzXCOFF))
    }
}
