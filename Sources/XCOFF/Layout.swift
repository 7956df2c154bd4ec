import MappedFile
import ObjectModel

/// Where a symbol's name is stored: inline in the entry (XCOFF32, up to 8 bytes) or at an offset
/// in the string table (or, for stabs symbols, in the `.debug` section).
enum RawName {
    case inline(NameView)
    case offset(UInt32)
}

/// A primary symbol table entry as stored, before names are resolved.
struct RawSymbolEntry {
    var name: RawName
    var value: UInt64
    var sectionNumber: Int16
    var type: UInt16
    var storageClass: UInt8
    var auxCount: Int
}

/// The csect auxiliary entry (`x_csect`): the last auxiliary entry of C_EXT/C_WEAKEXT/C_HIDEXT.
public struct CsectAux: Sendable {
    /// `x_scnlen`: csect length for XTY_SD/XTY_CM, symbol index of the containing csect for XTY_LD.
    public var sectionLength: UInt64
    public var symbolType: XCOFFSymbolType
    public var alignmentLog2: UInt8
    public var mappingClass: XCOFFMappingClass
}

/// The byte layout of one XCOFF width. The parsers are written once, generic over this protocol;
/// each conformer only says where fields are and how wide they are.
protocol XCOFFLayout {
    static var is64: Bool { get }
    static var fileHeaderSize: Int { get }
    static var sectionHeaderSize: Int { get }
    static func fileHeader(_ r: ByteRegion) throws(ParseError) -> FileHeader
    static func auxiliaryHeader(_ r: ByteRegion, at offset: Int, size: Int) throws(ParseError) -> AuxiliaryHeader?
    static func sectionHeader(_ r: ByteRegion, at offset: Int, index: Int) throws(ParseError) -> SectionHeader
    static func symbolEntry(_ r: ByteRegion, at offset: Int) throws(ParseError) -> RawSymbolEntry
    /// The auxiliary type byte of an XCOFF64 aux entry; nil for XCOFF32, which has none.
    static func auxiliaryType(_ r: ByteRegion, at offset: Int) throws(ParseError) -> UInt8?
    static func csectAux(_ r: ByteRegion, at offset: Int) throws(ParseError) -> CsectAux
    /// The loader section header; offsets in it are relative to the loader section.
    static func loaderHeader(_ r: ByteRegion) throws(ParseError) -> LoaderHeader
    /// A 24-byte loader symbol; its name is resolved by the caller when stored by offset.
    static func loaderSymbol(_ r: ByteRegion, at offset: Int, index: Int) throws(ParseError) -> (LoaderSymbol, RawName)
}

extension XCOFFLayout {
    /// `l_smtype`, `l_smclas`, `l_ifile` sit at the same place in both widths (bytes 14-19).
    static func loaderSymbolTail(_ r: ByteRegion, at o: Int, name: NameView, value: UInt64) throws(ParseError) -> LoaderSymbol {
        LoaderSymbol(name: name, value: value,
                     sectionNumber: Int16(bitPattern: try r.u16(o + 12, .big, "l_scnum")),
                     smtype: try r.u8(o + 14, "l_smtype"), mappingClass: XCOFFMappingClass(rawValue: try r.u8(o + 15, "l_smclas")),
                     importFile: Int(try r.u32(o + 16, .big, "l_ifile")))
    }

    /// The first five loader header fields, at the same offsets in both widths; the offsets and
    /// lengths after them differ and are filled in by each layout.
    static func loaderHeaderCommon(_ r: ByteRegion) throws(ParseError) -> LoaderHeader {
        LoaderHeader(
            version: Int32(bitPattern: try r.u32(0, .big, "l_version")),
            symbolCount: try loaderCount(try r.u32(4, .big, "l_nsyms"), r, at: 4, "symbol count"),
            relocationCount: try loaderCount(try r.u32(8, .big, "l_nreloc"), r, at: 8, "relocation count"),
            importTableLength: try loaderCount(try r.u32(12, .big, "l_istlen"), r, at: 12, "import table length"),
            importFileCount: try loaderCount(try r.u32(16, .big, "l_nimpid"), r, at: 16, "import file count"),
            importTableOffset: 0, stringTableLength: 0, stringTableOffset: 0, symbolTableOffset: 0)
    }

    static func loaderCount(_ v: UInt32, _ r: ByteRegion, at o: Int, _ what: String) throws(ParseError) -> Int {
        guard v <= UInt32(Int32.max) else { throw r.error("XCOFF loader header", at: o, "\(what) \(v) is impossible") }
        return Int(v)
    }

    static func loaderOffset(_ v: UInt64, _ r: ByteRegion, at o: Int, _ what: String) throws(ParseError) -> Int {
        guard v <= UInt64(r.count) else {
            throw r.error("XCOFF loader header", at: o, "\(what) \(v) is outside the \(r.count)-byte loader section")
        }
        return Int(v)
    }
}

enum XCOFF32Layout: XCOFFLayout {
    static var is64: Bool { false }
    static var fileHeaderSize: Int { 20 }
    static var sectionHeaderSize: Int { 40 }

    static func fileHeader(_ r: ByteRegion) throws(ParseError) -> FileHeader {
        try r.check(0, fileHeaderSize, "XCOFF32 file header")
        return FileHeader(
            magic: try r.u16(0, .big, "f_magic"),
            sectionCount: Int(try r.u16(2, .big, "f_nscns")),
            timestamp: Int32(bitPattern: try r.u32(4, .big, "f_timdat")),
            symbolTableOffset: UInt64(try r.u32(8, .big, "f_symptr")),
            symbolCount: Int(Int32(bitPattern: try r.u32(12, .big, "f_nsyms"))),
            auxiliaryHeaderSize: Int(try r.u16(16, .big, "f_opthdr")),
            flags: try r.u16(18, .big, "f_flags"))
    }

    static func auxiliaryHeader(_ r: ByteRegion, at o: Int, size: Int) throws(ParseError) -> AuxiliaryHeader? {
        // The 28-byte short form (objects) stops before o_toc; treat anything shorter as absent.
        guard size >= 28 else { return nil }
        let what = "XCOFF32 auxiliary header"
        try r.check(o, size, what)
        let full = size >= 72
        return AuxiliaryHeader(
            magic: try r.u16(o, .big, what), version: try r.u16(o + 2, .big, what),
            textStart: UInt64(try r.u32(o + 20, .big, what)),
            dataStart: UInt64(try r.u32(o + 24, .big, what)),
            entryPoint: UInt64(try r.u32(o + 16, .big, what)),
            tocAnchor: full ? UInt64(try r.u32(o + 28, .big, what)) : nil,
            entrySection: full ? Int(try r.u16(o + 32, .big, what)) : 0,
            loaderSection: full ? Int(try r.u16(o + 40, .big, what)) : 0,
            moduleType: full ? try r.u16(o + 48, .big, what) : 0,
            maxStack: full ? UInt64(try r.u32(o + 52, .big, what)) : 0,
            maxData: full ? UInt64(try r.u32(o + 56, .big, what)) : 0)
    }

    static func sectionHeader(_ r: ByteRegion, at o: Int, index: Int) throws(ParseError) -> SectionHeader {
        let what = "XCOFF32 section header \(index + 1)"
        try r.check(o, sectionHeaderSize, what)
        return SectionHeader(
            name: try r.fixedName(o, width: 8, what),
            physicalAddress: UInt64(try r.u32(o + 8, .big, what)),
            virtualAddress: UInt64(try r.u32(o + 12, .big, what)),
            size: UInt64(try r.u32(o + 16, .big, what)),
            rawDataOffset: UInt64(try r.u32(o + 20, .big, what)),
            relocationOffset: UInt64(try r.u32(o + 24, .big, what)),
            lineNumberOffset: UInt64(try r.u32(o + 28, .big, what)),
            relocationCount: Int(try r.u16(o + 32, .big, what)),
            lineNumberCount: Int(try r.u16(o + 34, .big, what)),
            flags: try r.u32(o + 36, .big, what))
    }

    static func symbolEntry(_ r: ByteRegion, at o: Int) throws(ParseError) -> RawSymbolEntry {
        try r.check(o, symbolEntrySize, "XCOFF32 symbol table entry")
        let zeroes = try r.u32(o, .big, "n_zeroes")
        let name: RawName = zeroes == 0
            ? .offset(try r.u32(o + 4, .big, "n_offset"))
            : .inline(try r.fixedName(o, width: 8, "n_name"))
        return RawSymbolEntry(
            name: name,
            value: UInt64(try r.u32(o + 8, .big, "n_value")),
            sectionNumber: Int16(bitPattern: try r.u16(o + 12, .big, "n_scnum")),
            type: try r.u16(o + 14, .big, "n_type"),
            storageClass: try r.u8(o + 16, "n_sclass"),
            auxCount: Int(try r.u8(o + 17, "n_numaux")))
    }

    static func auxiliaryType(_ r: ByteRegion, at offset: Int) throws(ParseError) -> UInt8? { nil }

    static func csectAux(_ r: ByteRegion, at o: Int) throws(ParseError) -> CsectAux {
        let smtyp = try r.u8(o + 10, "x_smtyp")
        return CsectAux(
            sectionLength: UInt64(try r.u32(o, .big, "x_scnlen")),
            symbolType: XCOFFSymbolType(rawValue: smtyp & 0x07), alignmentLog2: smtyp >> 3,
            mappingClass: XCOFFMappingClass(rawValue: try r.u8(o + 11, "x_smclas")))
    }

    static func loaderHeader(_ r: ByteRegion) throws(ParseError) -> LoaderHeader {
        try r.check(0, 32, "XCOFF32 loader section header")
        var h = try loaderHeaderCommon(r)
        h.importTableOffset = try loaderOffset(UInt64(try r.u32(20, .big, "l_impoff")), r, at: 20, "import table offset")
        h.stringTableLength = try loaderCount(try r.u32(24, .big, "l_stlen"), r, at: 24, "string table length")
        h.stringTableOffset = try loaderOffset(UInt64(try r.u32(28, .big, "l_stoff")), r, at: 28, "string table offset")
        h.symbolTableOffset = 32  // the symbols follow the 32-byte header
        return h
    }

    static func loaderSymbol(_ r: ByteRegion, at o: Int, index: Int) throws(ParseError) -> (LoaderSymbol, RawName) {
        try r.check(o, 24, "XCOFF32 loader symbol \(index)")
        let zeroes = try r.u32(o, .big, "l_zeroes")
        let name: RawName = zeroes == 0 ? .offset(try r.u32(o + 4, .big, "l_offset"))
            : .inline(try r.fixedName(o, width: 8, "l_name"))
        let inline: NameView = if case .inline(let v) = name { v } else { .empty }
        return (try loaderSymbolTail(r, at: o, name: inline, value: UInt64(try r.u32(o + 8, .big, "l_value"))), name)
    }
}

enum XCOFF64Layout: XCOFFLayout {
    static var is64: Bool { true }
    static var fileHeaderSize: Int { 24 }
    static var sectionHeaderSize: Int { 72 }

    static func fileHeader(_ r: ByteRegion) throws(ParseError) -> FileHeader {
        try r.check(0, fileHeaderSize, "XCOFF64 file header")
        return FileHeader(
            magic: try r.u16(0, .big, "f_magic"),
            sectionCount: Int(try r.u16(2, .big, "f_nscns")),
            timestamp: Int32(bitPattern: try r.u32(4, .big, "f_timdat")),
            symbolTableOffset: try r.u64(8, .big, "f_symptr"),
            symbolCount: Int(Int32(bitPattern: try r.u32(20, .big, "f_nsyms"))),
            auxiliaryHeaderSize: Int(try r.u16(16, .big, "f_opthdr")),
            flags: try r.u16(18, .big, "f_flags"))
    }

    static func auxiliaryHeader(_ r: ByteRegion, at o: Int, size: Int) throws(ParseError) -> AuxiliaryHeader? {
        guard size >= 112 else { return nil }
        let what = "XCOFF64 auxiliary header"
        try r.check(o, size, what)
        return AuxiliaryHeader(
            magic: try r.u16(o, .big, what), version: try r.u16(o + 2, .big, what),
            textStart: try r.u64(o + 8, .big, what), dataStart: try r.u64(o + 16, .big, what),
            entryPoint: try r.u64(o + 80, .big, what), tocAnchor: try r.u64(o + 24, .big, what),
            entrySection: Int(try r.u16(o + 32, .big, what)),
            loaderSection: Int(try r.u16(o + 40, .big, what)),
            moduleType: try r.u16(o + 48, .big, what),
            maxStack: try r.u64(o + 88, .big, what), maxData: try r.u64(o + 96, .big, what))
    }

    static func sectionHeader(_ r: ByteRegion, at o: Int, index: Int) throws(ParseError) -> SectionHeader {
        let what = "XCOFF64 section header \(index + 1)"
        try r.check(o, sectionHeaderSize, what)
        return SectionHeader(
            name: try r.fixedName(o, width: 8, what),
            physicalAddress: try r.u64(o + 8, .big, what),
            virtualAddress: try r.u64(o + 16, .big, what),
            size: try r.u64(o + 24, .big, what),
            rawDataOffset: try r.u64(o + 32, .big, what),
            relocationOffset: try r.u64(o + 40, .big, what),
            lineNumberOffset: try r.u64(o + 48, .big, what),
            relocationCount: Int(try r.u32(o + 56, .big, what)),
            lineNumberCount: Int(try r.u32(o + 60, .big, what)),
            flags: try r.u32(o + 64, .big, what))
    }

    static func symbolEntry(_ r: ByteRegion, at o: Int) throws(ParseError) -> RawSymbolEntry {
        try r.check(o, symbolEntrySize, "XCOFF64 symbol table entry")
        return RawSymbolEntry(
            name: .offset(try r.u32(o + 8, .big, "n_offset")),
            value: try r.u64(o, .big, "n_value"),
            sectionNumber: Int16(bitPattern: try r.u16(o + 12, .big, "n_scnum")),
            type: try r.u16(o + 14, .big, "n_type"),
            storageClass: try r.u8(o + 16, "n_sclass"),
            auxCount: Int(try r.u8(o + 17, "n_numaux")))
    }

    static func auxiliaryType(_ r: ByteRegion, at o: Int) throws(ParseError) -> UInt8? {
        try r.u8(o + 17, "x_auxtype")
    }

    static func csectAux(_ r: ByteRegion, at o: Int) throws(ParseError) -> CsectAux {
        let smtyp = try r.u8(o + 10, "x_smtyp")
        let low = UInt64(try r.u32(o, .big, "x_scnlen_lo"))
        let high = UInt64(try r.u32(o + 12, .big, "x_scnlen_hi"))
        return CsectAux(
            sectionLength: high << 32 | low,
            symbolType: XCOFFSymbolType(rawValue: smtyp & 0x07), alignmentLog2: smtyp >> 3,
            mappingClass: XCOFFMappingClass(rawValue: try r.u8(o + 11, "x_smclas")))
    }

    static func loaderHeader(_ r: ByteRegion) throws(ParseError) -> LoaderHeader {
        try r.check(0, 56, "XCOFF64 loader section header")
        var h = try loaderHeaderCommon(r)
        h.stringTableLength = try loaderCount(try r.u32(20, .big, "l_stlen"), r, at: 20, "string table length")
        h.importTableOffset = try loaderOffset(try r.u64(24, .big, "l_impoff"), r, at: 24, "import table offset")
        h.stringTableOffset = try loaderOffset(try r.u64(32, .big, "l_stoff"), r, at: 32, "string table offset")
        h.symbolTableOffset = try loaderOffset(try r.u64(40, .big, "l_symoff"), r, at: 40, "symbol table offset")
        return h
    }

    static func loaderSymbol(_ r: ByteRegion, at o: Int, index: Int) throws(ParseError) -> (LoaderSymbol, RawName) {
        try r.check(o, 24, "XCOFF64 loader symbol \(index)")
        let value = try r.u64(o, .big, "l_value")
        return (try loaderSymbolTail(r, at: o, name: .empty, value: value), .offset(try r.u32(o + 8, .big, "l_offset")))
    }
}
