import ImageLoader
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel

/// The generic dispatch `symscan` runs on every input: format sniffing from the bytes, then
/// whichever reader it picks (XCOFF, AIX archives with their members, `.exp`, ELF, `ar`), with
/// per-member error containment. (There is no link-line parser yet to fuzz.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageLoader(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let file = fuzzInput(bytes, size, path: "fuzz")
    let result = ImageLoader.load(file, path: "fuzz")
    var total = result.errors.count
    for image in result.images { total &+= touchNames(image) }
    for e in result.errors { total &+= e.description.utf8.count }
    blackHole(total)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzImageLoader) }
}
