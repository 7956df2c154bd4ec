import FuzzSupport
import ProviderIndex

/// The provider cache reader (`$XDG_CACHE_HOME/symscan/*`), with its head checksum recomputed
/// so that mutations reach the library, provider and bucket tables (see `CacheProbe`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProviderCache(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    blackHole(CacheProbe.exercise(Array(UnsafeBufferPointer(start: bytes, count: size))))
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzProviderCache) }
}
