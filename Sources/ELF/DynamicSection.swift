import CLibELF
import MappedFile
import ObjectModel

/// The entries of the `.dynamic` section that say how the file links at run time.
struct DynamicSection {
    var needed: [String] = []
    var soname: String?
    var rpath: [String] = []
    var runpath: [String] = []
    var flags: UInt64 = 0
    var flags1: UInt64 = 0

    var isPIE: Bool { flags1 & ELFConst.df1PIE != 0 }

    /// Reads DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_FLAGS and DT_FLAGS_1 up to DT_NULL.
    /// Strings come from the section named by the `.dynamic` section's `sh_link` (`.dynstr`).
    init(_ file: ELFFile, _ s: ELFSection) throws(ParseError) {
        let data = try file.data(s, "ELF .dynamic section")
        let entrySize = gelf_fsize(file.elf, ELF_T_DYN, 1, UInt32(EV_CURRENT))
        guard entrySize > 0 else { throw file.libelfError("ELF .dynamic section", at: Int(clamping: s.offset)) }
        let count = data.pointee.d_size / entrySize
        for i in 0..<count {
            var dyn = GElf_Dyn()
            let at = Int(clamping: s.offset) + i * entrySize
            guard gelf_getdyn(data, Int32(clamping: i), &dyn) != nil else {
                throw file.libelfError("ELF dynamic entry \(i)", at: at)
            }
            let tag = dyn.d_tag
            if tag == ELFConst.dtNull { break }
            let value = dyn.d_un.d_val
            switch tag {
            case ELFConst.dtNeeded: needed.append(try string(file, s, value, i, at))
            case ELFConst.dtSoname: soname = try string(file, s, value, i, at)
            case ELFConst.dtRpath: rpath += Self.split(try string(file, s, value, i, at))
            case ELFConst.dtRunpath: runpath += Self.split(try string(file, s, value, i, at))
            case ELFConst.dtFlags: flags = value
            case ELFConst.dtFlags1: flags1 = value
            default: break
            }
        }
    }

    private func string(_ file: ELFFile, _ s: ELFSection, _ offset: UInt64, _ i: Int, _ at: Int) throws(ParseError) -> String {
        guard let v = try file.string(table: s.link, offset: offset, "ELF dynamic entry \(i) string") else {
            throw file.region.error("ELF dynamic entry \(i)", at: at,
                                    "string offset \(offset) is outside string table section \(s.link)")
        }
        return v.string
    }

    /// `$ORIGIN/../lib:/opt/lib` → two entries; empty entries are kept (they mean the current
    /// directory to the dynamic loader).
    static func split(_ s: String) -> [String] {
        s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    }
}
