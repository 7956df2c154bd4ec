import MappedFile
import ObjectModel

/// A parsed XCOFF object, executable or shared object (32- or 64-bit).
///
/// Headers are read when the file is opened; the symbol table is walked on demand by
/// `symbols()`. Everything is read from the mapping through `ByteRegion`, nothing is copied.
public struct XCOFFFile: Sendable {
    public let region: ByteRegion
    public let width: XCOFFWidth
    public let header: FileHeader
    public let auxiliaryHeader: AuxiliaryHeader?
    public let sections: [SectionHeader]

    /// Opens the XCOFF image in `region`; fails when the magic is not XCOFF.
    public init(_ region: ByteRegion) throws(ParseError) {
        guard let width = try XCOFFWidth.sniff(region) else {
            throw region.error("XCOFF file header", at: 0, "not an XCOFF file (bad magic)")
        }
        self.region = region
        self.width = width
        switch width {
        case .bits32: (header, auxiliaryHeader, sections) = try Self.readHeaders(XCOFF32Layout.self, region)
        case .bits64: (header, auxiliaryHeader, sections) = try Self.readHeaders(XCOFF64Layout.self, region)
        }
    }

    private static func readHeaders<L: XCOFFLayout>(_: L.Type, _ r: ByteRegion) throws(ParseError)
        -> (FileHeader, AuxiliaryHeader?, [SectionHeader])
    {
        let header = try L.fileHeader(r)
        let aux = try L.auxiliaryHeader(r, at: L.fileHeaderSize, size: header.auxiliaryHeaderSize)
        let first = L.fileHeaderSize + header.auxiliaryHeaderSize
        try r.checkTable(first, count: header.sectionCount, size: L.sectionHeaderSize, "XCOFF section headers")
        var sections: [SectionHeader] = []
        sections.reserveCapacity(header.sectionCount)
        for i in 0..<header.sectionCount {
            sections.append(try L.sectionHeader(r, at: first + i * L.sectionHeaderSize, index: i))
        }
        if !L.is64 { try applyOverflowSections(&sections, r, first: first) }
        try checkContents(sections, r, first: first, headerSize: L.sectionHeaderSize)
        return (header, aux, sections)
    }

    /// Every section's raw data must lie in the file, after the headers, and apart from the
    /// others. A file where it does not is truncated or damaged even when the symbol table
    /// happens to be intact; no real XCOFF file we know (the shared corpus) breaks these rules.
    /// BSS sections and the STYP_OVRFLO section carry no raw data and are not checked.
    private static func checkContents(_ sections: [SectionHeader], _ r: ByteRegion, first: Int, headerSize: Int) throws(ParseError) {
        let headersEnd = first + sections.count * headerSize
        var extents: [(start: Int, end: Int, index: Int)] = []
        for (i, s) in sections.enumerated() {
            guard s.size != 0, s.rawDataOffset != 0, !s.isBSS, s.type & SectionType.overflow == 0 else { continue }
            let what = "XCOFF section header \(i + 1) (\(s.name))"
            let at = first + i * headerSize
            guard s.rawDataOffset <= UInt64(r.count), s.size <= UInt64(r.count) - s.rawDataOffset else {
                throw r.error(what, at: at, "contents (\(s.size) bytes at offset \(s.rawDataOffset)) run past the end of the \(r.count)-byte file")
            }
            let start = Int(s.rawDataOffset), end = start + Int(s.size)
            guard start >= headersEnd else {
                throw r.error(what, at: at, "contents at offset \(start) overlap the file and section headers (which end at \(headersEnd))")
            }
            extents.append((start, end, i))
        }
        extents.sort { $0.start < $1.start }
        for (a, b) in zip(extents, extents.dropFirst()) where b.start < a.end {
            let (early, late) = a.index < b.index ? (a, b) : (b, a)
            throw r.error("XCOFF section header \(late.index + 1) (\(sections[late.index].name))", at: first + late.index * headerSize,
                          "contents at offsets \(late.start)..<\(late.end) overlap section \(early.index + 1) (\(sections[early.index].name)) at \(early.start)..<\(early.end)")
        }
    }

    /// XCOFF32 stores at most 65534 relocations or line numbers in a section header. A count of
    /// 65535 means the real counts are in an STYP_OVRFLO section whose `s_nreloc` names the
    /// section (1-based) and whose `s_paddr`/`s_vaddr` hold the relocation/line-number counts.
    private static func applyOverflowSections(_ sections: inout [SectionHeader], _ r: ByteRegion, first: Int) throws(ParseError) {
        for i in sections.indices
        where sections[i].relocationCount == 0xFFFF || sections[i].lineNumberCount == 0xFFFF {
            guard let o = sections.first(where: {
                $0.type == SectionType.overflow && $0.relocationCount == i + 1
            }) else {
                throw r.error("XCOFF32 section header \(i + 1)", at: first + i * 40,
                              "relocation count 65535 needs an STYP_OVRFLO section, and there is none")
            }
            sections[i].relocationCount = Int(o.physicalAddress)
            sections[i].lineNumberCount = Int(o.virtualAddress)
        }
    }

    public var is64: Bool { width == .bits64 }

    public var kind: ImageKind {
        if header.isSharedObject { return .shared }
        if header.isExecutable { return .executable }
        return .object
    }

    /// The section header for a 1-based section number, if there is one.
    public func section(number: Int) -> SectionHeader? {
        number >= 1 && number <= sections.count ? sections[number - 1] : nil
    }

    /// Contents of a section, checked against the file.
    public func contents(of s: SectionHeader, _ what: String) throws(ParseError) -> ByteRegion {
        guard s.rawDataOffset <= UInt64(Int.max), s.size <= UInt64(Int.max) else {
            throw region.error(what, at: 0, "section offset or size does not fit in memory")
        }
        return try region.slice(Int(s.rawDataOffset), Int(s.size), what)
    }

    /// All primary symbol table entries in file order.
    public func symbols() throws(ParseError) -> [XCOFFSymbol] {
        switch width {
        case .bits32: try SymbolTable.read(XCOFF32Layout.self, self)
        case .bits64: try SymbolTable.read(XCOFF64Layout.self, self)
        }
    }

    /// The symbol table as a decoder (`ReadOptions.deferSymbols`), checked entry by entry now.
    public func symbolDecoder(filter: SymbolFilter = SymbolFilter()) throws(ParseError) -> any SymbolDecoder {
        switch width {
        case .bits32:
            let d = try SymbolTable.decoder(XCOFF32Layout.self, self, filter: filter)
            return XCOFFSymbolDecoder(walker: d.walker.map { .bits32($0) }, chunkStarts: d.chunkStarts, kept: d.kept, count: d.count)
        case .bits64:
            let d = try SymbolTable.decoder(XCOFF64Layout.self, self, filter: filter)
            return XCOFFSymbolDecoder(walker: d.walker.map { .bits64($0) }, chunkStarts: d.chunkStarts, kept: d.kept, count: d.count)
        }
    }

    /// The format-neutral image: symbols with their binding, kind and nm letter. `options`
    /// says whether to read the symbol table, and whether as an array or a decoder; the loader
    /// section is always read.
    public func image(path: String, member: String? = nil, options: ReadOptions = .all) throws(ParseError) -> ObjectImage {
        var out: [Symbol] = []
        var deferred: (any SymbolDecoder)?
        // An XCOFF decoder holds no more than this struct, so every table is worth decoding
        // as it is listed: the members of an archive then build no arrays (docs/performance.md).
        if options.staticSymbols && options.deferSymbols {
            deferred = try symbolDecoder(filter: options.filter)
        } else if options.staticSymbols {
            let raw = try symbols()
            out.reserveCapacity(raw.count)
            for s in raw { out.append(SymbolClassifier.symbol(s, in: self)) }
        }
        var notes: [String] = []
        if header.symbolCount == 0 { notes.append("no symbol table (stripped)") }
        var image = ObjectImage(path: path, member: member, format: is64 ? .xcoff64 : .xcoff32, kind: kind,
                                symbols: out, notes: notes, storage: region.file)
        image.deferredSymbols = deferred
        image.dynamic = try LoaderSection(self)?.dynamicInfo()
        return image
    }

    /// The undefined symbols that no relocation uses, by name: clang lists `.f` beside `f` when
    /// only `f`'s address is taken, and GNU ld for AIX reports neither kind as undefined when
    /// nothing refers to it. Empty when the relocations are not known.
    public func unusedUndefinedNames() throws(ParseError) -> Set<String> {
        let raw = try symbols()
        guard raw.contains(where: \.isUndefined), let used = try relocatedSymbolIndices() else { return [] }
        return Set(raw.filter { $0.isUndefined && !used.contains($0.index) }.map(\.name.string))
    }

    /// The symbol table indices that relocation entries of any section refer to (`r_symndx`);
    /// nil when the file says its relocations were stripped (F_RELFLG) or has none at all.
    /// Entries are 10 bytes (XCOFF32: r_vaddr, r_symndx, r_rsize, r_rtype) or 14 (XCOFF64,
    /// with an 8-byte r_vaddr).
    public func relocatedSymbolIndices() throws(ParseError) -> Set<Int>? {
        guard header.flags & FileFlags.relocationsStripped == 0 else { return nil }
        let size = is64 ? 14 : 10, symbolAt = is64 ? 8 : 4
        var used = Set<Int>()
        var any = false
        for (i, s) in sections.enumerated() where s.relocationCount > 0 {
            let what = "relocations of XCOFF section \(i + 1) (\(s.name))"
            guard s.relocationOffset <= UInt64(region.count) else {
                throw region.error(what, at: Int(s.relocationOffset), "start past the end of the \(region.count)-byte file")
            }
            let start = Int(s.relocationOffset)
            try region.checkTable(start, count: s.relocationCount, size: size, what)
            any = true
            for k in 0..<s.relocationCount {
                used.insert(Int(try region.u32(start + k * size + symbolAt, .big, what)))
            }
        }
        return any ? used : nil
    }
}
