import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel
import XCOFF

/// AIX big (`<bigaf>`) and small (`<aiaff>`) archives: the file header, the member chain, both
/// global symbol tables, and each member parsed as XCOFF (with its symbols and loader section)
/// or as an import/export list, as `symscan symbols lib.a` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAIXArchive(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let file = fuzzInput(bytes, size, path: "fuzz")
    guard let archive = try? AIXArchive(file.region) else { return 0 }
    var total = 0
    if let s = try? archive.globalSymbols(bits64: false) { for e in s { total &+= e.name.count &+ e.memberOffset } }
    if let s = try? archive.globalSymbols(bits64: true) { for e in s { total &+= e.name.count &+ e.memberOffset } }
    guard let members = try? archive.members() else { blackHole(total); return 0 }
    for m in members {
        total &+= m.name.count
        if let x = try? XCOFFFile(m.contents), let image = try? x.image(path: "fuzz", member: m.name.string) {
            total &+= image.symbols.count
        } else if ImportExportFile.looksLikeOne(m.contents, path: m.name.string),
                  let e = try? ImportExportFile(m.contents) {
            total &+= e.entries.count
        }
    }
    blackHole(total)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzAIXArchive) }
}
