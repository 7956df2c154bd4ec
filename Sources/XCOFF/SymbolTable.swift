import MappedFile
import ObjectModel

/// Walks the symbol table: `f_nsyms` entries of 18 bytes at `f_symptr`, each primary entry
/// followed by `n_numaux` auxiliary entries. One generic walk serves both widths.
enum SymbolTable {
    static func read<L: XCOFFLayout>(_: L.Type, _ file: XCOFFFile) throws(ParseError) -> [XCOFFSymbol] {
        guard var walker = try SymbolWalker<L>(file) else { return [] }
        var symbols: [XCOFFSymbol] = []
        symbols.reserveCapacity(walker.count)
        var i = 0
        while i < walker.count {
            let symbol = try walker.symbol(at: i)
            symbols.append(symbol)
            i += 1 + symbol.auxCount
        }
        return symbols
    }

    /// The table as a decoder (`ReadOptions.deferSymbols`). The whole table is walked now, so
    /// that a damaged one fails here; the walk notes where each chunk starts.
    /// With a `filter`, the symbols it refuses (told from `n_sclass` and `n_scnum`) are
    /// skipped by entry count alone: their names are not read, and they are not counted.
    static func decoder<L: XCOFFLayout>(_: L.Type, _ file: XCOFFFile, filter: SymbolFilter) throws(ParseError) -> (walker: SymbolWalker<L>?, chunkStarts: [Int], kept: [Int]?, count: Int) {
        guard var walker = try SymbolWalker<L>(file, filter: filter) else { return (nil, [], nil, 0) }
        var starts: [Int] = []
        var kept: [Int]? = filter.acceptsAll ? nil : []
        var n = 0
        var i = 0
        while i < walker.count {
            if let refused = try walker.refused(at: i) { i += 1 + refused; continue }
            if n % SymbolList.chunkSize == 0 { starts.append(i) }
            kept?.append(i)
            i += 1 + (try walker.symbol(at: i, readingNames: false)).auxCount
            n += 1
        }
        return (walker, starts, kept, n)
    }

    /// The kept entries `kept` of a filtered table (see `decoder`).
    static func walk<L: XCOFFLayout>(_ walker: SymbolWalker<L>, kept: ArraySlice<Int>, _ body: (borrowing Symbol) -> Void) {
        var w = walker
        for i in kept {
            guard let s = try? w.symbol(at: i) else { return }
            body(SymbolClassifier.symbol(s, in: w.file))
        }
    }

    /// Up to `SymbolList.chunkSize` symbols from entry `first` on.
    static func walk<L: XCOFFLayout>(_ walker: SymbolWalker<L>, from first: Int, _ body: (borrowing Symbol) -> Void) {
        var w = walker
        var i = first
        for _ in 0..<SymbolList.chunkSize where i < w.count {
            // Every entry was read when the decoder was made; the mapping is read-only.
            guard let s = try? w.symbol(at: i) else { return }
            body(SymbolClassifier.symbol(s, in: w.file))
            i += 1 + s.auxCount
        }
    }
}

/// An XCOFF symbol table decoded as it is walked (see `SymbolTable.decoder`). Not generic over
/// the layout, so that its walks run code specialised for each width.
struct XCOFFSymbolDecoder: SymbolDecoder {
    enum Walker: Sendable {
        case bits32(SymbolWalker<XCOFF32Layout>)
        case bits64(SymbolWalker<XCOFF64Layout>)
    }
    let walker: Walker?
    /// Index of the first entry of each chunk.
    let chunkStarts: [Int]
    /// For a filtered table, the entries kept, in table order; nil when unfiltered.
    let kept: [Int]?
    let count: Int

    var chunkCount: Int { chunkStarts.count }

    func forEach(chunk: Int, _ body: (borrowing Symbol) -> Void) {
        if let kept {
            let range = kept[(chunk * SymbolList.chunkSize)..<min((chunk + 1) * SymbolList.chunkSize, kept.count)]
            switch walker {
            case .bits32(let w): SymbolTable.walk(w, kept: range, body)
            case .bits64(let w): SymbolTable.walk(w, kept: range, body)
            case nil: return
            }
            return
        }
        switch walker {
        case .bits32(let w): SymbolTable.walk(w, from: chunkStarts[chunk], body)
        case .bits64(let w): SymbolTable.walk(w, from: chunkStarts[chunk], body)
        case nil: return
        }
    }
}

/// Reads primary entries of one symbol table, by entry index, with their names and csect
/// auxiliary entry.
struct SymbolWalker<L: XCOFFLayout>: Sendable {
    let file: XCOFFFile
    /// `file.region`, kept here: read from `file` for every symbol, it was retained and
    /// released each time (5% of listing an archive of small objects).
    let region: ByteRegion
    let base: Int
    /// Entries in the table, auxiliary entries included (`f_nsyms`).
    let count: Int
    let strings: StringTable
    // Read lazily: only stabs symbols need `.debug`.
    private var debugLoaded = false
    private var debugNames: ByteRegion? = nil
    let filter: SymbolFilter

    /// Nil when the file has no symbol table.
    init?(_ file: XCOFFFile, filter: SymbolFilter = SymbolFilter()) throws(ParseError) {
        self.filter = filter
        let r = file.region
        count = file.header.symbolCount
        guard count > 0 else { return nil }
        guard file.header.symbolTableOffset <= UInt64(Int.max) else {
            throw r.error("XCOFF symbol table", at: 0, "offset \(file.header.symbolTableOffset) is impossible")
        }
        self.file = file
        region = r
        base = Int(file.header.symbolTableOffset)
        // Counts come from the file: prove the table fits before allocating anything for it.
        try r.checkTable(base, count: count, size: symbolEntrySize, "XCOFF symbol table")
        strings = try StringTable(in: r, at: base + count * symbolEntrySize)
    }

    /// When the filter refuses the primary entry at `i`, its auxiliary entry count (the next
    /// entry is at `i + 1 + auxCount`); nil when it accepts it. Reads the entry's fixed fields
    /// only: defined unless `n_scnum` is N_UNDEF on a csect-carrying storage class (as
    /// `XCOFFSymbol.isUndefined`), external for C_EXT and C_WEAKEXT (as the binding).
    func refused(at i: Int) throws(ParseError) -> Int? {
        if filter.acceptsAll { return nil }
        let offset = base + i * symbolEntrySize
        let e = try L.symbolEntry(region, at: offset)
        let sc = XCOFFStorageClass(rawValue: e.storageClass)
        let external = sc == .external || sc == .weakExternal
        let undefined = e.sectionNumber == SectionNumber.undefined && (external || sc == .hiddenExternal)
        if filter.accepts(defined: !undefined, external: external) { return nil }
        if e.auxCount > count - 1 - i {
            throw region.error("XCOFF symbol \(i)", at: offset,
                               "\(e.auxCount) auxiliary entries run past the end of the \(count)-entry symbol table")
        }
        return e.auxCount
    }

    /// The primary entry at index `i`; the next one is at `i + 1 + auxCount`. Without
    /// `readingNames`, a name in the string table is checked but not read (its view is empty)
    /// when the table ends with a NUL, which every name at a valid offset then ends at.
    mutating func symbol(at i: Int, readingNames: Bool = true) throws(ParseError) -> XCOFFSymbol {
        let r = region
        let offset = base + i * symbolEntrySize
        let e = try L.symbolEntry(r, at: offset)
        if e.auxCount > count - 1 - i {
            throw r.error("XCOFF symbol \(i)", at: offset,
                          "\(e.auxCount) auxiliary entries run past the end of the \(count)-entry symbol table")
        }
        let name: NameView
        switch e.name {
        case .inline(let v): name = v
        case .offset(let o) where XCOFFStorageClass(rawValue: e.storageClass).isDebug:
            if !debugLoaded { debugNames = try SymbolTable.debugSection(file); debugLoaded = true }
            name = try SymbolTable.debugName(debugNames, o, index: i, at: offset, r)
        case .offset(let o) where !readingNames && strings.endsWithNUL:
            try strings.check(o, for: "name of XCOFF symbol \(i)", entry: offset, in: r)
            name = .empty
        case .offset(let o):
            name = try strings.name(at: o, for: "name of XCOFF symbol \(i)", entry: offset, in: r)
        }
        var symbol = XCOFFSymbol(index: i, name: name, value: e.value, sectionNumber: e.sectionNumber,
                                 type: e.type, storageClass: XCOFFStorageClass(rawValue: e.storageClass), auxCount: e.auxCount, csect: nil)
        if symbol.csectCarrier && e.auxCount > 0 {
            symbol.csect = try SymbolTable.csectAux(L.self, r, entry: offset, auxCount: e.auxCount)
        }
        return symbol
    }
}

extension SymbolTable {
    /// The csect auxiliary entry is the last one. XCOFF64 tags aux entries with a type byte, so
    /// there we take the last entry tagged _AUX_CSECT (function aux entries may come first).
    static func csectAux<L: XCOFFLayout>(_: L.Type, _ r: ByteRegion, entry: Int, auxCount: Int) throws(ParseError) -> CsectAux? {
        var k = auxCount
        while k >= 1 {
            let at = entry + k * symbolEntrySize
            guard let type = try L.auxiliaryType(r, at: at) else { return try L.csectAux(r, at: at) }
            if type == AuxiliaryType.csect { return try L.csectAux(r, at: at) }
            k -= 1
        }
        return nil
    }

    static func debugSection(_ file: XCOFFFile) throws(ParseError) -> ByteRegion? {
        guard let s = file.sections.first(where: { $0.type & SectionType.debug != 0 }) else { return nil }
        return try file.contents(of: s, "XCOFF .debug section")
    }

    /// Stabs symbols keep their names in `.debug`, each preceded by a 2-byte (XCOFF32) length;
    /// the offset points at the name itself. We read up to the NUL or the recorded length.
    static func debugName(_ debug: ByteRegion?, _ offset: UInt32, index: Int, at entry: Int, _ r: ByteRegion) throws(ParseError) -> NameView {
        if offset == 0 { return .empty }
        guard let debug else {
            throw r.error("name of XCOFF debug symbol \(index)", at: entry,
                          "points into a .debug section, and the file has none")
        }
        let o = Int(offset)
        guard o >= 2, o < debug.count else {
            throw r.error("name of XCOFF debug symbol \(index)", at: entry,
                          "offset \(offset) is outside the \(debug.count)-byte .debug section")
        }
        let length = Int(try debug.u16(o - 2, .big, "length of debug name"))
        let view = try debug.bytes(o, min(length, debug.count - o), "debug name of XCOFF symbol \(index)")
        // Some producers NUL-terminate inside the length; stop at the NUL like AIX dump does.
        if let nul = view.bytes.firstIndex(of: 0) { return NameView(start: view.start, count: nul) }
        return view
    }
}
