import CLibELF
import MappedFile
import ObjectModel

/// GNU symbol versioning for `.dynsym`: `.gnu.version` (one index per dynamic symbol),
/// `.gnu.version_d` (versions this file defines) and `.gnu.version_r` (versions it needs from
/// each DT_NEEDED library).
///
/// The version shown follows GNU nm (BFD's `_bfd_elf_get_symbol_version_string`): index 0
/// (local) and index 1 (the file's base version) show none; an index of a definition shows the
/// definition's name, except on the symbol that names the version itself; any other index is
/// looked up among the needed versions. nm prints `@@` for a defined symbol whose index does
/// not have the hidden bit, `@` for hidden definitions and for every undefined symbol.
struct SymbolVersions {
    private let versym: UnsafeMutablePointer<Elf_Data>
    /// Definition names by version index (`vd_ndx`); nil where no definition has that index.
    private var definitions: [NameView?] = []
    private var baseFlagged = false
    /// Needed version names by version index (`vna_other`).
    private var needed: [NameView?] = []
    /// What the loader checks before binding anything: the versions needed from each
    /// DT_NEEDED file, in `.gnu.version_r` order.
    private(set) var needs: [VersionNeed] = []

    /// The names this file defines, by ascending version index (the base version first).
    var definedNames: [String] { definitions.compactMap { $0?.string } }

    /// nil when the file has no `.gnu.version` or no table it refers to.
    init?(_ file: ELFFile) throws(ParseError) {
        guard let vs = file.section(ofType: ELFConst.shtGNUVersym) else { return nil }
        let verdef = file.section(ofType: ELFConst.shtGNUVerdef)
        let verneed = file.section(ofType: ELFConst.shtGNUVerneed)
        if verdef == nil && verneed == nil { return nil }
        versym = try file.data(vs, "ELF .gnu.version section")
        if let verdef { try readDefinitions(file, verdef) }
        if let verneed { try readNeeded(file, verneed) }
    }

    /// The version of dynamic symbol `index`: its name and whether nm shows it with `@@`.
    func version(ofSymbol index: Int, name: NameView, defined: Bool) -> (name: NameView, isDefault: Bool)? {
        var raw: GElf_Versym = 0
        guard gelf_getversym(versym, Int32(clamping: index), &raw) != nil else { return nil }
        let hidden = raw & ELFConst.versymHidden != 0
        let n = Int(raw & ELFConst.versymIndexMask)
        if n == 0 { return nil }
        if n == 1 && (definitions.count <= 1 || baseFlagged) { return nil }
        if n < definitions.count {
            guard let v = definitions[n], v != name else { return nil }
            return (v, defined && !hidden)
        }
        if n < needed.count, let v = needed[n] { return (v, false) }
        return nil
    }

    private static func store(_ name: NameView, at index: Int, in table: inout [NameView?]) {
        if index >= table.count { table.append(contentsOf: repeatElement(nil, count: index + 1 - table.count)) }
        table[index] = name
    }

    /// Walks the `Elf_Verdef` chain (`vd_next`), taking each definition's first `Elf_Verdaux`
    /// name. The walk is bounded by the section size, so a looping chain cannot hang us.
    private mutating func readDefinitions(_ file: ELFFile, _ s: ELFSection) throws(ParseError) {
        let data = try file.data(s, "ELF .gnu.version_d section")
        let size = data.pointee.d_size
        var offset = 0
        var steps = 0
        while offset < size && steps <= size / 20 {
            steps += 1
            let at = Int(clamping: s.offset) + offset
            var vd = GElf_Verdef()
            guard gelf_getverdef(data, Int32(clamping: offset), &vd) != nil else {
                throw file.libelfError("ELF version definition", at: at)
            }
            var vda = GElf_Verdaux()
            let auxOffset = offset + Int(vd.vd_aux)
            guard vd.vd_cnt > 0, auxOffset < size, gelf_getverdaux(data, Int32(clamping: auxOffset), &vda) != nil else {
                throw file.region.error("ELF version definition", at: at, "has no readable name entry (vd_aux \(vd.vd_aux))")
            }
            guard let name = try file.string(table: s.link, offset: UInt64(vda.vda_name), "ELF version definition name") else {
                throw file.region.error("ELF version definition", at: at, "name offset \(vda.vda_name) is outside the string table")
            }
            let index = Int(vd.vd_ndx & ELFConst.versymIndexMask)
            Self.store(name, at: index, in: &definitions)
            if index == 1 && vd.vd_flags & ELFConst.verFlagBase != 0 { baseFlagged = true }
            if vd.vd_next == 0 { break }
            offset += Int(vd.vd_next)
        }
    }

    /// Walks the `Elf_Verneed` chain and each entry's `Elf_Vernaux` list (bounded likewise).
    private mutating func readNeeded(_ file: ELFFile, _ s: ELFSection) throws(ParseError) {
        let data = try file.data(s, "ELF .gnu.version_r section")
        let size = data.pointee.d_size
        var offset = 0
        var steps = 0
        while offset < size && steps <= size / 16 {
            steps += 1
            let at = Int(clamping: s.offset) + offset
            var vn = GElf_Verneed()
            guard gelf_getverneed(data, Int32(clamping: offset), &vn) != nil else {
                throw file.libelfError("ELF version dependency", at: at)
            }
            let fileName = try file.string(table: s.link, offset: UInt64(vn.vn_file), "ELF version dependency file name")
            var need = VersionNeed(file: fileName?.string ?? "", versions: [])
            var aux = offset + Int(vn.vn_aux)
            for _ in 0..<Int(vn.vn_cnt) {
                guard aux < size else { break }
                var vna = GElf_Vernaux()
                guard gelf_getvernaux(data, Int32(clamping: aux), &vna) != nil else {
                    throw file.libelfError("ELF needed version", at: Int(clamping: s.offset) + aux)
                }
                if let name = try file.string(table: s.link, offset: UInt64(vna.vna_name), "ELF needed version name") {
                    Self.store(name, at: Int(vna.vna_other & ELFConst.versymIndexMask), in: &needed)
                    need.versions.append(name.string)
                }
                if vna.vna_next == 0 { break }
                aux += Int(vna.vna_next)
            }
            needs.append(need)
            if vn.vn_next == 0 { break }
            offset += Int(vn.vn_next)
        }
    }
}
