#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibELF
import MappedFile
import ObjectModel

/// Reads `.symtab` or `.dynsym` into format-neutral `Symbol`s, in table order, without the
/// null symbol at index 0 (no nm lists it) and without ARM/AArch64/RISC-V mapping symbols.
///
/// Entries are read in place from libelf's buffer of the table (in the host's byte order: libelf
/// translates it when the file's differs), with `gelf_getsymshndx` only for tables with
/// extended section indices. Names are views into the string table in the mapping: no
/// `String` is made per symbol. Entries the filter refuses are skipped from their `st_info`
/// and `st_shndx`, before their name is read.
extension ELFFile {
    func symbols(in table: ELFSection, versions: SymbolVersions?, filter: SymbolFilter) throws(ParseError) -> [Symbol] {
        let t = try ELFSymbolTable(self, table, versions: versions, sectionLetters: false, filter: filter)
        var out: [Symbol] = []
        out.reserveCapacity(t.entryCount)
        // Section letters as symbols ask for them: an object built with -ffunction-sections has
        // thousands of sections (relocations, groups, one per function) and its symbols refer
        // to few of them. 0 where not worked out yet.
        var letters = [UInt8](repeating: 0, count: sections.count)
        for i in 1..<max(t.entryCount, 1) where t.passes(i) {
            if let s = try t.symbol(i, checked: false, letters: &letters, fillingIn: true) { out.append(s) }
        }
        return out
    }

    /// The table as a decoder (`ReadOptions.deferSymbols`): every entry is checked now, so that
    /// a damaged table fails here, before any of it is listed.
    func symbolDecoder(in table: ELFSection, versions: SymbolVersions?, filter: SymbolFilter) throws(ParseError) -> ELFSymbolDecoder {
        let t = try ELFSymbolTable(self, table, versions: versions, filter: filter)
        if !filter.acceptsAll { return try filteredDecoder(t) }
        var count = 0
        // The lowest name offset of each chunk's entries, then of it and all later chunks: the
        // string table below that is not read again once the chunks before are written.
        let chunks = (max(t.entryCount - 1, 0) + SymbolList.chunkSize - 1) / SymbolList.chunkSize
        var namesFrom = [UInt32](repeating: .max, count: chunks + 1)
        for i in 1..<max(t.entryCount, 1) where t.passes(i) {
            var nameOffset: UInt32 = 0
            if try t.check(i, nameOffset: &nameOffset) { count += 1 }
            let c = (i - 1) / SymbolList.chunkSize
            if nameOffset != 0 && nameOffset < namesFrom[c] { namesFrom[c] = nameOffset }
        }
        if chunks > 0 {
            for c in stride(from: chunks - 1, through: 0, by: -1) where namesFrom[c + 1] < namesFrom[c] {
                namesFrom[c] = namesFrom[c + 1]
            }
        }
        return ELFSymbolDecoder(table: t, count: count, namesFrom: namesFrom, kept: nil)
    }

    /// A filtered table's decoder: one pass over the fixed-size fields finds the entries the
    /// filter keeps, and only those are checked, walked and have their names read.
    private func filteredDecoder(_ t: ELFSymbolTable) throws(ParseError) -> ELFSymbolDecoder {
        var kept: [UInt32] = []
        for i in t.keptEntries() {
            var nameOffset: UInt32 = 0
            if try t.check(i, nameOffset: &nameOffset) { kept.append(UInt32(i)) }
        }
        // Pages are released by table position, below the first kept entry of the next chunk
        // (names: none, as the kept entries' names are in no particular order here).
        return ELFSymbolDecoder(table: t, count: kept.count, namesFrom: [], kept: kept)
    }
}

/// One symbol table and what decoding its entries needs, worked out once per table.
///
/// `@unchecked Sendable`: after `init` nothing here changes. libelf's `Elf_Data` of the table
/// (and of the string table, which the first `check`/`symbol` call loads) is only read, and
/// the libelf calls made per entry (`gelf_getsym`, `elf_strptr`, `gelf_getversym`) only read
/// data libelf has already loaded, so walks of different chunks may run on different threads.
struct ELFSymbolTable: @unchecked Sendable {
    let file: ELFFile
    let table: ELFSection
    let versions: SymbolVersions?
    let what: String
    let data: UnsafeMutablePointer<Elf_Data>
    let extended: UnsafeMutablePointer<Elf_Data>?
    let letters: [UInt8]
    let entrySize: Int
    /// Entries in the table, the null entry 0 included.
    let entryCount: Int
    /// The string table's bytes, when libelf hands out names as pointers into them inside the
    /// mapping (it does unless the table is compressed): a name checked once by `check` is
    /// then read again from here without asking libelf.
    let strings: UnsafePointer<CChar>?
    /// True where a name may be a mapping symbol's (ARM, AArch64, RISC-V).
    let hasMappingSymbols: Bool
    /// The entries as libelf holds them (host byte order), read in place; nil where libelf
    /// must decode them (extended section indices).
    let entries: UnsafeRawPointer?
    let is64: Bool
    let filter: SymbolFilter

    /// With `sectionLetters` false, `letters` is left empty: the caller works letters out as
    /// it needs them (`symbol(_:checked:letters:fillingIn:)`).
    init(_ file: ELFFile, _ table: ELFSection, versions: SymbolVersions?, sectionLetters: Bool = true,
         filter: SymbolFilter = SymbolFilter()) throws(ParseError) {
        self.file = file
        self.table = table
        self.versions = versions
        what = table.type == ELFConst.shtDynsym ? "ELF dynamic symbol table" : "ELF symbol table"
        data = try file.data(table, what)
        entrySize = gelf_fsize(file.elf, ELF_T_SYM, 1, UInt32(EV_CURRENT))
        guard entrySize > 0 else { throw file.libelfError(what, at: Int(clamping: table.offset)) }
        entryCount = data.pointee.d_size / entrySize
        extended = file.extendedIndices(for: table)
        is64 = entrySize == 24
        self.filter = filter
        // In place only where the buffer holds exactly the entries libelf says, of the size
        // the class gives (24 or 16 bytes): anything else goes through gelf_getsym.
        if extended == nil, data.pointee.d_type == ELF_T_SYM, let buf = data.pointee.d_buf,
           entrySize == (file.is64 ? 24 : 16) {
            entries = UnsafeRawPointer(buf)
        } else {
            entries = nil
        }
        letters = sectionLetters ? NMLetter.sectionLetters(file.sections) : []
        hasMappingSymbols = MappingSymbols.machineHasThem(file.header.e_machine)
        if let strtab = file.section(index: Int(table.link)), strtab.size > 0, strtab.size <= UInt64(Int.max),
           let start = elf_strptr(file.elf, Int(table.link), 0),
           file.region.offset(of: UnsafeRawPointer(start), length: Int(strtab.size)) != nil {
            strings = UnsafePointer(start)
        } else {
            strings = nil
        }
    }

    /// `st_info` and `st_shndx` of entry `i` (1 ≤ i < entryCount), read in place: all a filter
    /// needs. nil where the entries are not read in place.
    @inline(__always)
    private func infoAndIndex(_ i: Int) -> (info: UInt8, shndx: UInt16)? {
        guard let entries else { return nil }
        let e = entries + i * entrySize
        return is64 ? (e.load(fromByteOffset: 4, as: UInt8.self), e.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
                    : (e.load(fromByteOffset: 12, as: UInt8.self), e.loadUnaligned(fromByteOffset: 14, as: UInt16.self))
    }

    /// The entries the filter keeps, from their fixed-size fields alone: one tight pass over
    /// the table in place (through `passes` where the entries are not read in place).
    func keptEntries() -> [Int] {
        var out: [Int] = []
        guard entryCount > 1 else { return out }
        guard let entries else {
            for i in 1..<entryCount where passes(i) { out.append(i) }
            return out
        }
        let (infoAt, shndxAt) = is64 ? (4, 6) : (12, 14)
        var e = entries + entrySize
        for i in 1..<entryCount {
            let info = e.load(fromByteOffset: infoAt, as: UInt8.self)
            let shndx = e.loadUnaligned(fromByteOffset: shndxAt, as: UInt16.self)
            if keeps(info: info, shndx: UInt32(shndx)) { out.append(i) }
            e += entrySize
        }
        return out
    }

    /// Whether the filter accepts entry `i`, decided without its name.
    @inline(__always)
    func passes(_ i: Int) -> Bool {
        if filter.acceptsAll { return true }
        let info: UInt8, shndx: UInt32
        if let f = infoAndIndex(i) {
            info = f.info
            shndx = UInt32(f.shndx)
        } else {
            guard let e = try? entry(i) else { return true }  // the full read reports it
            info = e.sym.st_info
            shndx = e.shndx
        }
        return keeps(info: info, shndx: shndx)
    }

    /// The filter's verdict on an entry: defined unless SHN_UNDEF (reserved indices, SHN_ABS
    /// and SHN_COMMON, are defined), external unless STB_LOCAL (as `ELFSymbolClass.binding`).
    @inline(__always)
    private func keeps(info: UInt8, shndx: UInt32) -> Bool {
        filter.accepts(defined: shndx != ELFConst.shnUndef, external: info >> 4 != ELFConst.stbLocal)
    }

    /// Entry `i` with its real section index: read in place, or decoded by libelf.
    private func entry(_ i: Int) throws(ParseError) -> (sym: GElf_Sym, shndx: UInt32) {
        if let entries {
            let e = entries + i * entrySize
            var sym = GElf_Sym()
            sym.st_name = e.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
            if is64 {
                sym.st_info = e.load(fromByteOffset: 4, as: UInt8.self)
                sym.st_other = e.load(fromByteOffset: 5, as: UInt8.self)
                sym.st_shndx = e.loadUnaligned(fromByteOffset: 6, as: UInt16.self)
                sym.st_value = e.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                sym.st_size = e.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            } else {
                sym.st_value = UInt64(e.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                sym.st_size = UInt64(e.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
                sym.st_info = e.load(fromByteOffset: 12, as: UInt8.self)
                sym.st_other = e.load(fromByteOffset: 13, as: UInt8.self)
                sym.st_shndx = e.loadUnaligned(fromByteOffset: 14, as: UInt16.self)
            }
            return (sym, UInt32(sym.st_shndx))
        }
        var sym = GElf_Sym()
        var xindex: GElf_Word = 0
        let ok = extended != nil
            ? gelf_getsymshndx(data, extended, Int32(clamping: i), &sym, &xindex) != nil
            : gelf_getsym(data, Int32(clamping: i), &sym) != nil
        guard ok else { throw file.libelfError("\(what) entry \(i)", at: offset(i)) }
        let rawIndex = UInt32(sym.st_shndx)
        return (sym, rawIndex == ELFConst.shnXIndex && extended != nil ? xindex : rawIndex)
    }

    private func offset(_ i: Int) -> Int { Int(clamping: table.offset) + i * entrySize }

    private func name(_ sym: GElf_Sym, _ shndx: UInt32, _ i: Int) throws(ParseError) -> NameView {
        if sym.st_name != 0 {
            guard let n = try file.string(table: table.link, offset: UInt64(sym.st_name), "name of \(what) entry \(i)") else {
                throw file.region.error("\(what) entry \(i)", at: offset(i),
                                        "name offset \(sym.st_name) is outside string table section \(table.link)")
            }
            return n
        }
        // Section symbols have no name of their own; nm and BFD show the section's.
        if sym.st_info & 0xF == ELFConst.sttSection, let s = file.section(index: Int(shndx)) { return s.name }
        return .empty
    }

    /// Checks entry `i` as `symbol` would read it; false for a mapping symbol (not listed).
    /// A name is not read: libelf has checked that it ends inside the string table, and the
    /// table lies in the mapping. `nameOffset` is set to the entry's name offset.
    func check(_ i: Int, nameOffset: inout UInt32) throws(ParseError) -> Bool {
        let (sym, shndx) = try entry(i)
        nameOffset = sym.st_name
        if !hasMappingSymbols, let strings, sym.st_name != 0 {
            guard let p = elf_strptr(file.elf, Int(table.link), Int(sym.st_name)),
                  UnsafePointer(p) == strings + Int(sym.st_name) else {
                _ = try name(sym, shndx, i)
                throw file.region.error("\(what) entry \(i)", at: offset(i), "libelf read the name from outside the string table")
            }
            return true
        }
        let name = try name(sym, shndx, i)
        return !hasMappingSymbols || !MappingSymbols.isMapping(name, binding: sym.st_info >> 4, machine: file.header.e_machine)
    }

    /// Entry `i` as a `Symbol`; nil for a mapping symbol. With `checked`, `check(i)` has
    /// passed, and the name is read straight from the string table.
    func symbol(_ i: Int, checked: Bool) throws(ParseError) -> Symbol? {
        var letters = self.letters
        return try symbol(i, checked: checked, letters: &letters, fillingIn: false)
    }

    /// The same with the section letters of `letters`; with `fillingIn`, a letter still 0 there
    /// is worked out first.
    func symbol(_ i: Int, checked: Bool, letters: inout [UInt8], fillingIn: Bool) throws(ParseError) -> Symbol? {
        let (sym, shndx) = try entry(i)
        let name: NameView
        if checked, let strings, sym.st_name != 0 {
            let p = strings + Int(sym.st_name)
            name = NameView(start: UnsafeRawPointer(p), count: strlen(p))
        } else {
            name = try self.name(sym, shndx, i)
        }
        if hasMappingSymbols && MappingSymbols.isMapping(name, binding: sym.st_info >> 4, machine: file.header.e_machine) {
            return nil
        }
        if fillingIn, Int(shndx) < letters.count, letters[Int(shndx)] == 0 {
            letters[Int(shndx)] = NMLetter.sectionLetter(file.sections[Int(shndx)])
        }
        var symbol = Symbol(
            name: name, value: sym.st_value, defined: shndx != ELFConst.shnUndef,
            binding: ELFSymbolClass.binding(sym.st_info >> 4), kind: ELFSymbolClass.kind(sym.st_info & 0xF),
            visibility: ELFSymbolClass.visibility(sym.st_other & 3), sectionNumber: Int(shndx),
            nmLetter: NMLetter.letter(info: sym.st_info, sectionIndex: shndx, sectionLetters: letters))
        if let versions, let v = versions.version(ofSymbol: i, name: name, defined: symbol.defined) {
            symbol.version = v.name
            symbol.versionDefault = v.isDefault
        }
        return symbol
    }
}

/// An ELF symbol table decoded as it is walked; made by `ELFFile.symbolDecoder`, which has
/// checked every entry, so a walk cannot fail.
struct ELFSymbolDecoder: SymbolDecoder {
    let table: ELFSymbolTable
    let count: Int
    /// For each chunk, the lowest name offset of its entries and all later chunks' (one more
    /// element, `UInt32.max`, after the last chunk).
    let namesFrom: [UInt32]
    /// For a filtered table, the entries kept (checked, in table order); nil when unfiltered.
    let kept: [UInt32]?

    var chunkCount: Int {
        let n = kept?.count ?? max(table.entryCount - 1, 0)
        return (n + SymbolList.chunkSize - 1) / SymbolList.chunkSize
    }

    func forEach(chunk: Int, _ body: (borrowing Symbol) -> Void) {
        if let kept {
            let first = chunk * SymbolList.chunkSize
            for k in first..<min(first + SymbolList.chunkSize, kept.count) {
                guard let s = try? table.symbol(Int(kept[k]), checked: true) else { continue }
                body(s)
            }
            return
        }
        let first = 1 + chunk * SymbolList.chunkSize
        for i in first..<min(first + SymbolList.chunkSize, table.entryCount) {
            // Checked when the decoder was made; the mapping is read-only, so nothing has changed.
            guard let s = try? table.symbol(i, checked: true) else { continue }
            body(s)
        }
    }

    /// The entries of chunks `0...chunk`, and the string table below the lowest name a later
    /// chunk reads. (Linkers write most names in table order, so most of the string table goes
    /// too; a name shared by an early and a late entry keeps its pages.)
    func release(through chunk: Int) {
        let file = table.file.region.file
        let image = table.file.region.start
        if let kept {
            // The entries before the next chunk's first kept one.
            let next = (chunk + 1) * SymbolList.chunkSize
            let end = next < kept.count ? Int(kept[next]) : table.entryCount
            file.release(offset: image + Int(clamping: table.table.offset), length: end * table.entrySize)
            return
        }
        let end = min(1 + (chunk + 1) * SymbolList.chunkSize, table.entryCount)
        file.release(offset: image + Int(clamping: table.table.offset), length: end * table.entrySize)
        if table.strings != nil, let strtab = table.file.section(index: Int(table.table.link)), chunk + 1 < namesFrom.count {
            let below = min(UInt64(namesFrom[chunk + 1]), strtab.size)
            file.release(offset: image + Int(clamping: strtab.offset), length: Int(below))
        }
    }
}

extension ELFFile {
    /// The `SHT_SYMTAB_SHNDX` table of a symbol table with more than 65279 sections, if any.
    func extendedIndices(for table: ELFSection) -> UnsafeMutablePointer<Elf_Data>? {
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
