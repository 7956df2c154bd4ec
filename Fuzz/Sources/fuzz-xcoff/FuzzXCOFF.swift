import FuzzSupport
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
    let file = fuzzInput(bytes, size, path: "fuzz")
    guard let x = try? XCOFFFile(file.region) else { return 0 }
    if let image = try? x.image(path: "fuzz") { blackHole(touchNames(image)) }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzXCOFF) }
}
