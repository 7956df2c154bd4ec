import ELF
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel

/// The ELF path through libelf: identification and section-table checks in Swift, then libelf's
/// sections, `.symtab`/`.dynsym`, symbol versions and the dynamic section (`ELFFile.image`);
/// inputs starting with `!<arch>\n` go through the `ar` reader (GNU/BSD names, long-name table)
/// and every ELF member is parsed the same way.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let file = fuzzInput(bytes, size, path: "fuzz")
    let r = file.region
    var total = 0
    if r.contains(offset: 0, length: 8), let m = try? r.bytes(0, 8, "magic"), m.hasPrefix(ArArchive.magic) {
        guard let members = try? ArArchive.members(r) else { return 0 }
        for m in members {
            total &+= m.name.utf8.count
            if let e = try? ELFFile(m.data), let image = try? e.image(path: "fuzz", member: m.name) {
                total &+= touch(image)
            }
        }
    } else if let e = try? ELFFile(r), let image = try? e.image(path: "fuzz") {
        total &+= touch(image)
    }
    blackHole(total)
    return 0
}

func touch(_ image: ObjectImage) -> Int {
    var total = 0
    for s in image.symbols { total &+= s.name.count &+ (s.version?.count ?? 0) }
    if let d = image.dynamic { for s in d.symbols { total &+= s.name.count } }
    return total
}

@main
enum Main {
    static func main() { runFuzzer(fuzzELF) }
}
