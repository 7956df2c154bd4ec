import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel
import XCOFF

/// The XCOFF `.loader` section on its own: the input's first byte picks the width (even: 32-bit,
/// odd: 64-bit), the rest is the section's contents. The harness wraps it in a minimal XCOFF
/// file with one STYP_LOADER section, so every mutation lands in the loader header, loader
/// symbols, import file IDs and loader string table, not in the file headers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderSection(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = UnsafeRawPointer(bytes)
    guard size >= 1, let data else { return 0 }
    let is64 = data.load(as: UInt8.self) & 1 == 1
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    var bytes = wrapper(is64: is64, sectionSize: body.count)
    bytes.append(contentsOf: body)
    let file = MappedFile(bytes: bytes, path: "fuzz")
    guard let x = try? XCOFFFile(file.region),
          let loader = try? LoaderSection(x) else { return 0 }
    let info = loader.dynamicInfo()
    var total = info.imports.count + info.exports.count
    for s in info.symbols { total &+= s.name.count }
    blackHole(total)
    return 0
}

/// A file header (no symbol table, no auxiliary header) and one section header for `.loader`.
func wrapper(is64: Bool, sectionSize: Int) -> [UInt8] {
    var b: [UInt8] = []
    func put(_ v: UInt64, _ width: Int) { for i in (0..<width).reversed() { b.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
    let headerSize = is64 ? 24 : 20
    let sectionHeaderSize = is64 ? 72 : 40
    let contentOffset = UInt64(headerSize + sectionHeaderSize)
    if is64 {
        put(0x01F7, 2); put(1, 2); put(0, 4); put(0, 8); put(0, 2); put(0x3002, 2); put(0, 4)
        b += Array(".loader\0".utf8)
        put(0, 8); put(0, 8); put(UInt64(sectionSize), 8); put(contentOffset, 8)
        put(0, 8); put(0, 8); put(0, 4); put(0, 4); put(0x1000, 4); put(0, 4)
    } else {
        put(0x01DF, 2); put(1, 2); put(0, 4); put(0, 4); put(0, 4); put(0, 2); put(0x3002, 2)
        b += Array(".loader\0".utf8)
        put(0, 4); put(0, 4); put(UInt64(sectionSize), 4); put(contentOffset, 4)
        put(0, 4); put(0, 4); put(0, 2); put(0, 2); put(0x1000, 4)
    }
    precondition(b.count == headerSize + sectionHeaderSize)
    return b
}

@main
enum Main {
    static func main() { runFuzzer(fuzzLoaderSection) }
}
