import CLibELF
import MappedFile
import ObjectModel

/// Reads `.symtab` or `.dynsym` into format-neutral `Symbol`s, in table order, without the
/// null symbol at index 0 (no nm lists it) and without ARM/AArch64/RISC-V mapping symbols.
///
/// Each entry is decoded by `gelf_getsym` (either width, either byte order). Names are views
/// into the string table in the mapping: no `String` is made per symbol.
extension ELFFile {
    func symbols(in table: ELFSection, versions: SymbolVersions?) throws(ParseError) -> [Symbol] {
        let what = table.type == ELFConst.shtDynsym ? "ELF dynamic symbol table" : "ELF symbol table"
        let data = try self.data(table, what)
        let entrySize = gelf_fsize(elf, ELF_T_SYM, 1, UInt32(EV_CURRENT))
        guard entrySize > 0 else { throw libelfError(what, at: Int(clamping: table.offset)) }
        let count = data.pointee.d_size / entrySize
        guard count > 1 else { return [] }
        let extended = extendedIndices(for: table)
        let letters = NMLetter.sectionLetters(sections)
        var out: [Symbol] = []
        out.reserveCapacity(count - 1)
        for i in 1..<count {
            var sym = GElf_Sym()
            var xindex: GElf_Word = 0
            let ok = extended != nil
                ? gelf_getsymshndx(data, extended, Int32(clamping: i), &sym, &xindex) != nil
                : gelf_getsym(data, Int32(clamping: i), &sym) != nil
            let at = Int(clamping: table.offset) + i * entrySize
            guard ok else { throw libelfError("\(what) entry \(i)", at: at) }
            let rawIndex = UInt32(sym.st_shndx)
            let shndx = rawIndex == ELFConst.shnXIndex && extended != nil ? xindex : rawIndex
            let type = sym.st_info & 0xF
            var name = NameView.empty
            if sym.st_name != 0 {
                guard let n = try string(table: table.link, offset: UInt64(sym.st_name), "name of \(what) entry \(i)") else {
                    throw region.error("\(what) entry \(i)", at: at,
                                       "name offset \(sym.st_name) is outside string table section \(table.link)")
                }
                name = n
            } else if type == ELFConst.sttSection, let s = section(index: Int(shndx)) {
                // Section symbols have no name of their own; nm and BFD show the section's.
                name = s.name
            }
            if MappingSymbols.isMapping(name, binding: sym.st_info >> 4, machine: header.e_machine) { continue }
            var symbol = Symbol(
                name: name, value: sym.st_value, defined: shndx != ELFConst.shnUndef,
                binding: ELFSymbolClass.binding(sym.st_info >> 4), kind: ELFSymbolClass.kind(type),
                visibility: ELFSymbolClass.visibility(sym.st_other & 3), sectionNumber: Int(shndx),
                nmLetter: NMLetter.letter(info: sym.st_info, sectionIndex: shndx, sectionLetters: letters))
            if let versions, let v = versions.version(ofSymbol: i, name: name, defined: symbol.defined) {
                symbol.version = v.name
                symbol.versionDefault = v.isDefault
            }
            out.append(symbol)
        }
        return out
    }

    /// The `SHT_SYMTAB_SHNDX` table of a symbol table with more than 65279 sections, if any.
    private func extendedIndices(for table: ELFSection) -> UnsafeMutablePointer<Elf_Data>? {
        guard let x = sections.first(where: { $0.type == ELFConst.shtSymtabShndx && Int($0.link) == table.index })
        else { return nil }
        return elf_getdata(x.scn, nil)
    }
}

/// ELF binding, type and visibility in the model's terms.
enum ELFSymbolClass {
    static func binding(_ b: UInt8) -> Binding {
        switch b {
        case ELFConst.stbLocal: .local
        case ELFConst.stbWeak: .weak
        case ELFConst.stbGNUUnique: .unique
        default: .global
        }
    }

    static func kind(_ t: UInt8) -> SymbolKind {
        switch t {
        case ELFConst.sttFunc, ELFConst.sttGNUIFunc: .function
        case ELFConst.sttObject, ELFConst.sttCommon, ELFConst.sttTLS: .data
        case ELFConst.sttFile: .file
        case ELFConst.sttSection: .section
        default: .other
        }
    }

    static func visibility(_ v: UInt8) -> Visibility {
        switch v {
        case ELFConst.stvInternal: .internal
        case ELFConst.stvHidden: .hidden
        case ELFConst.stvProtected: .protected
        default: .default
        }
    }
}
