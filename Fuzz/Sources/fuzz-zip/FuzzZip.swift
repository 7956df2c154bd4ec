import Check
import FuzzSupport
import MappedFile

/// The wheel (zip) reader: central directory (ZIP64 included), the layout checks, and members
/// read as `check` reads them (sniffed first) and whole; bounds lowered so that a member the
/// fuzzer makes large is refused by the bounds, not reported as an out-of-memory input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var limits = ZipLimits()
    limits.memberBytes = 4 << 20
    limits.wheelBytes = 16 << 20
    limits.ratio = 100
    limits.ratioFloor = 1 << 20
    limits.entries = 4096
    let file = fuzzInput(bytes, size, path: "fuzz.whl")
    guard let zip = try? ZipArchive(file: file, limits: limits) else { return 0 }
    var total = 0
    for e in zip.entries.prefix(64) {
        if let r = try? zip.contents(e, sniffing: true) { total &+= r.count }
        if let r = try? zip.contents(e) { total &+= r.count }
    }
    blackHole(total)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzZip) }
}
