import MappedFile
import ObjectModel

/// Flags in a loader symbol's `l_smtype` (the low three bits are the csect type).
public enum LoaderSymbolFlags {
    public static let weak: UInt8 = 0x08
    public static let export: UInt8 = 0x10
    public static let entry: UInt8 = 0x20
    public static let `import`: UInt8 = 0x40
}

/// The loader section header (`ldhdr`), both widths widened.
public struct LoaderHeader: Sendable {
    public var version: Int32
    public var symbolCount: Int
    public var relocationCount: Int
    public var importTableLength: Int
    public var importFileCount: Int
    public var importTableOffset: Int
    public var stringTableLength: Int
    public var stringTableOffset: Int
    public var symbolTableOffset: Int
}

/// One loader symbol (`ldsym`): what the image imports or exports at run time.
public struct LoaderSymbol: Sendable {
    public var name: NameView
    public var value: UInt64
    public var sectionNumber: Int16
    public var smtype: UInt8
    public var mappingClass: XCOFFMappingClass
    /// `l_ifile`: 1-based index of the import file ID for imports; 0 means no module.
    public var importFile: Int

    public var isImport: Bool { smtype & LoaderSymbolFlags.import != 0 }
    public var isExport: Bool { smtype & LoaderSymbolFlags.export != 0 }
    public var isEntry: Bool { smtype & LoaderSymbolFlags.entry != 0 }
    public var isWeak: Bool { smtype & LoaderSymbolFlags.weak != 0 }
    public var symbolType: XCOFFSymbolType { XCOFFSymbolType(rawValue: smtype & 0x07) }
}

/// An import file ID: where the loader finds a module. Entry 0 is the library search path.
public struct ImportFileID: Sendable {
    public var path: NameView
    public var base: NameView
    public var member: NameView
}

/// The `.loader` section of an executable or shared object, found by its section type
/// (STYP_LOADER), not its name. It holds the run-time imports and exports and the import file IDs.
public struct LoaderSection: Sendable {
    public let header: LoaderHeader
    public let symbols: [LoaderSymbol]
    public let importFiles: [ImportFileID]
    /// The section's bytes; keeps the mapping alive, since names are views into it.
    public let region: ByteRegion

    /// Reads the loader section of `file`; nil when it has none (relocatable objects).
    public init?(_ file: XCOFFFile) throws(ParseError) {
        guard let s = file.sections.first(where: { $0.type & SectionType.loader != 0 }) else { return nil }
        let r = try file.contents(of: s, "XCOFF .loader section")
        region = r
        switch file.width {
        case .bits32: (header, symbols, importFiles) = try Self.read(XCOFF32Layout.self, r)
        case .bits64: (header, symbols, importFiles) = try Self.read(XCOFF64Layout.self, r)
        }
    }

    private static func read<L: XCOFFLayout>(_: L.Type, _ r: ByteRegion) throws(ParseError)
        -> (LoaderHeader, [LoaderSymbol], [ImportFileID])
    {
        let h = try L.loaderHeader(r)
        try r.checkTable(h.symbolTableOffset, count: h.symbolCount, size: 24, "XCOFF loader symbol table")
        let strings = try stringTable(r, h)
        var symbols: [LoaderSymbol] = []
        symbols.reserveCapacity(h.symbolCount)
        for i in 0..<h.symbolCount {
            let o = h.symbolTableOffset + i * 24
            var s = try L.loaderSymbol(r, at: o, index: i)
            if case .offset(let off) = s.1 {
                s.0.name = try loaderName(strings, off, index: i, r, at: o)
            }
            symbols.append(s.0)
        }
        let ids = try importFileIDs(r, h)
        for (i, s) in symbols.enumerated() where s.isImport && s.importFile >= ids.count {
            throw r.error("XCOFF loader symbol \(i) (\(s.name))", at: h.symbolTableOffset + i * 24,
                          "import file index \(s.importFile) is out of range (\(ids.count) import file IDs)")
        }
        return (h, symbols, ids)
    }

    private static func stringTable(_ r: ByteRegion, _ h: LoaderHeader) throws(ParseError) -> ByteRegion? {
        guard h.stringTableLength > 0 else { return nil }
        return try r.slice(h.stringTableOffset, h.stringTableLength, "XCOFF loader string table")
    }

    /// Loader strings are a 2-byte length followed by the name; `l_offset` points at the name.
    private static func loaderName(_ strings: ByteRegion?, _ offset: UInt32, index: Int, _ r: ByteRegion, at o: Int) throws(ParseError) -> NameView {
        let what = "name of XCOFF loader symbol \(index)"
        guard let strings else {
            throw r.error(what, at: o, "name offset \(offset) but the loader section has no string table")
        }
        let off = Int(offset)
        guard off >= 2, off < strings.count else {
            throw r.error(what, at: o, "name offset \(offset) is outside the \(strings.count)-byte loader string table")
        }
        let length = Int(try strings.u16(off - 2, .big, what))
        let view = try strings.bytes(off, min(length, strings.count - off), what)
        if let nul = view.bytes.firstIndex(of: 0) { return NameView(start: view.start, count: nul) }
        return view
    }

    /// `l_nimpid` entries of three NUL-terminated strings (path, base, member) at `l_impoff`.
    private static func importFileIDs(_ r: ByteRegion, _ h: LoaderHeader) throws(ParseError) -> [ImportFileID] {
        guard h.importFileCount > 0 else { return [] }
        let table = try r.slice(h.importTableOffset, h.importTableLength, "XCOFF loader import file ID table")
        // Every ID needs at least three NULs: a larger count cannot be true.
        guard h.importFileCount <= table.count / 3 else {
            throw table.error("XCOFF loader import file ID table", at: 0,
                              "\(h.importFileCount) import file IDs cannot fit in \(table.count) bytes")
        }
        var ids: [ImportFileID] = []
        ids.reserveCapacity(h.importFileCount)
        var o = 0
        for i in 0..<h.importFileCount {
            let what = "XCOFF import file ID \(i)"
            let path = try table.cString(o, what + " path")
            o += path.count + 1
            let base = try table.cString(o, what + " base")
            o += base.count + 1
            let member = try table.cString(o, what + " member")
            o += member.count + 1
            ids.append(ImportFileID(path: path, base: base, member: member))
        }
        return ids
    }

    /// The run-time view for the format-neutral model.
    public func dynamicInfo() -> DynamicInfo {
        var info = DynamicInfo()
        info.libraryPath = importFiles.first.map { $0.path.string }
        let modules = importFiles.map {
            ImportModule(path: $0.path.string, base: $0.base.string, member: $0.member.string)
        }
        info.importModules = Array(modules.dropFirst())
        for s in symbols {
            if s.isImport {
                let module = s.importFile >= 1 && s.importFile < modules.count ? modules[s.importFile] : nil
                info.imports.append(DynamicImport(name: s.name, module: module, weak: s.isWeak))
            }
            if s.isExport { info.exports.append(s.name) }
            info.symbols.append(symbol(s))
        }
        return info
    }

    private func symbol(_ s: LoaderSymbol) -> Symbol {
        let isCode = s.mappingClass == XCOFFMappingClass.program || s.mappingClass == XCOFFMappingClass.glue
        // Millicode imports (`___memset`, XMC_XO) carry the fixed address the kernel maps them
        // at: imports with a known value, so they count as defined, as GNU objdump -T shows them.
        let absolute = s.sectionNumber == SectionNumber.absolute || (s.isImport && s.value != 0)
        let defined = !s.isImport || absolute
        var letter: UInt8 = !defined ? UInt8(ascii: "U")
            : absolute ? UInt8(ascii: "A") : isCode ? UInt8(ascii: "T") : UInt8(ascii: "D")
        if s.isWeak { letter = defined ? UInt8(ascii: "W") : UInt8(ascii: "w") }
        return Symbol(name: s.name, value: s.value, defined: defined,
                      binding: s.isWeak ? .weak : (s.isImport || s.isExport || s.isEntry) ? .global : .local,
                      kind: isCode || s.mappingClass == XCOFFMappingClass.descriptor ? .function : .data,
                      visibility: .default, sectionNumber: Int(s.sectionNumber), nmLetter: letter,
                      xcoff: XCOFFSymbolFacts(storageClass: nil, symbolType: s.symbolType, mappingClass: s.mappingClass))
    }
}
