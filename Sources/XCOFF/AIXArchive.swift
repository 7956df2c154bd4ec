import MappedFile

/// The field widths of one AIX archive format. The big format (`<bigaf>`, AIX 4.3 and later)
/// and the small format (`<aiaff>`, earlier) have the same shape with different widths, so one
/// reader serves both.
struct AIXArchiveLayout: Sendable {
    let name: String
    /// Width of the offset fields in the file header and of `ar_size`/`ar_nxtmem`/`ar_prvmem`.
    let offsetWidth: Int
    let fileHeaderSize: Int
    let memberHeaderSize: Int
    /// Width of the count and offsets of a global symbol table (binary, big-endian).
    let symbolTableWordSize: Int
    let hasSymbolTable64: Bool

    static let big = AIXArchiveLayout(name: "AIX big archive", offsetWidth: 20, fileHeaderSize: 128,
                                      memberHeaderSize: 112, symbolTableWordSize: 8, hasSymbolTable64: true)
    static let small = AIXArchiveLayout(name: "AIX small archive", offsetWidth: 12, fileHeaderSize: 68,
                                        memberHeaderSize: 88, symbolTableWordSize: 4, hasSymbolTable64: false)
}

/// One member of an AIX archive: its name and its bytes as a sub-range of the same mapping.
public struct ArchiveMember: Sendable {
    public let name: NameView
    /// Offset of the member header in the archive.
    public let headerOffset: Int
    public let contents: ByteRegion
}

/// An entry of an archive's global symbol table: a name and the member that defines it.
public struct ArchiveSymbol: Sendable {
    public let name: NameView
    public let memberOffset: Int
}

/// An AIX archive (big or small format) read in place from its mapping.
///
/// Members are found by following the `ar_nxtmem` chain from the first member to the last, the
/// way AIX `ar` and the linker do; a chain that points backwards, past the last member or
/// outside the file is an error (it would otherwise loop, or read the tables as members).
///
/// The member table and the global symbol tables that the file header points to must be in
/// the file, header and contents, for the members to be used. Every writer (AIX `ar`, llvm-ar,
/// Go) puts them after the last member, so when they are missing the archive is a cut copy or
/// an interrupted write, or its header is damaged: its members may be whole, but it is not the
/// archive that was written (llvm-nm 21 refuses one whose global symbol tables are cut). Their
/// contents are read only when used: the member table never, the global symbol tables by
/// `globalSymbols(bits64:)`.
public struct AIXArchive: Sendable {
    public let region: ByteRegion
    let layout: AIXArchiveLayout
    public let memberTableOffset: Int
    public let symbolTableOffset: Int
    public let symbolTable64Offset: Int
    public let firstMemberOffset: Int
    public let lastMemberOffset: Int

    public var isBigFormat: Bool { layout.offsetWidth == 20 }

    private var fileHeader: String { layout.name + " file header" }
    private var memberHeader: String { layout.name + " member header" }

    public init(_ region: ByteRegion) throws(ParseError) {
        let magic = try region.bytes(0, min(8, region.count), "archive magic")
        if magic.hasPrefix("<bigaf>\n") {
            layout = .big
        } else if magic.hasPrefix("<aiaff>\n") {
            layout = .small
        } else {
            throw region.error("AIX archive header", at: 0, "not an AIX archive (bad magic)")
        }
        self.region = region
        let what = layout.name + " file header"
        try region.check(0, layout.fileHeaderSize, what)
        let layout = layout
        func field(_ f: AIXArchiveHeaderField) throws(ParseError) -> Int {
            try AIXArchive.decimal(region, at: f.offset(layout), width: layout.offsetWidth, what + " " + f.name)
        }
        memberTableOffset = try field(.memberTable)
        symbolTableOffset = try field(.symbolTable)
        symbolTable64Offset = layout.hasSymbolTable64 ? try field(.symbolTable64) : 0
        firstMemberOffset = try field(.firstMember)
        lastMemberOffset = try field(.lastMember)
        // What the header alone tells: an offset into the header itself, and a first member
        // without a last one (or the other way round). An offset past the end is found when it
        // is followed, so that a cut file is reported at the first structure the cut removed.
        for f in AIXArchiveHeaderField.fields(layout) {
            let value = self[f]
            if value != 0 && value < layout.fileHeaderSize {
                throw region.error(what, at: f.offset(layout),
                                   "\(f.describe(layout)) \(value) points into the \(layout.fileHeaderSize)-byte file header")
            }
        }
        if (firstMemberOffset == 0) != (lastMemberOffset == 0) {
            let (zero, other): (AIXArchiveHeaderField, AIXArchiveHeaderField) =
                firstMemberOffset == 0 ? (.firstMember, .lastMember) : (.lastMember, .firstMember)
            throw region.error(what, at: zero.offset(layout),
                               "\(zero.describe(layout)) is 0 (no members) but \(other.describe(layout)) is \(self[other])")
        }
    }

    /// The value of a file header offset field.
    private subscript(_ f: AIXArchiveHeaderField) -> Int {
        switch f {
        case .memberTable: memberTableOffset
        case .symbolTable: symbolTableOffset
        case .symbolTable64: symbolTable64Offset
        case .firstMember: firstMemberOffset
        case .lastMember: lastMemberOffset
        }
    }

    /// The members in archive order (the `ar_nxtmem` chain from first to last member), once
    /// the member table and global symbol tables are known to be in the file (`checkTables`).
    public func members() throws(ParseError) -> [ArchiveMember] {
        var out: [ArchiveMember] = []
        if firstMemberOffset != 0 {
            try checkInside(firstMemberOffset, field: .firstMember)
            var offset = firstMemberOffset
            while true {
                let (member, next) = try self.member(at: offset)
                out.append(member)
                if offset == lastMemberOffset { break }
                if next == 0 {
                    // A last member past the end is the file header's damage, not this member's.
                    try checkInside(lastMemberOffset, field: .lastMember)
                    throw region.error(memberHeader, at: offset,
                                       "member chain ends here, before the last member at offset \(lastMemberOffset)")
                }
                // Each member lies after the previous one; anything else would loop or overlap.
                guard next > offset else {
                    throw region.error(memberHeader, at: offset,
                                       "next-member offset \(next) points backwards (a member chain must go forward)")
                }
                let nextField = offset + layout.offsetWidth
                // After the last member the chain goes on to the tables (AIX `ar`, llvm-ar): a
                // chain that skips the last member would read them as members.
                guard next <= lastMemberOffset else {
                    throw region.error(memberHeader, at: nextField,
                                       "next-member offset \(next) passes the last member (offset \(lastMemberOffset)) without reaching it")
                }
                guard next < region.count else {
                    throw region.error(memberHeader, at: nextField,
                                       "next-member offset \(next) is past the end of the \(region.count)-byte archive")
                }
                offset = next
            }
        }
        try checkTables()
        return out
    }

    /// Checks that the member table and the global symbol tables the file header points to are
    /// in the archive: each a member header (with its terminator) and contents that fit. Their
    /// contents are not parsed.
    func checkTables() throws(ParseError) {
        for f: AIXArchiveHeaderField in [.memberTable, .symbolTable, .symbolTable64] {
            _ = try table(f)
        }
    }

    /// The contents of the table that file header field `f` locates; nil when it says there is
    /// none (offset 0).
    private func table(_ f: AIXArchiveHeaderField) throws(ParseError) -> ByteRegion? {
        let offset = self[f]
        guard offset != 0 else { return nil }
        try checkInside(offset, field: f)
        return try member(at: offset, table: "\(layout.name) \(f.target(layout))").0.contents
    }

    /// An offset from the file header, before it is followed: it must lie inside the archive.
    private func checkInside(_ value: Int, field f: AIXArchiveHeaderField) throws(ParseError) {
        guard value < region.count else {
            throw region.error(fileHeader, at: f.offset(layout),
                               "\(f.describe(layout)) \(value) is past the end of the \(region.count)-byte archive")
        }
    }

    /// The member header at `offset`, its contents, and the offset of the next member. `table`
    /// names the member table or a global symbol table when the header is one of theirs (their
    /// headers are member headers without a name).
    func member(at offset: Int, table: String? = nil) throws(ParseError) -> (ArchiveMember, next: Int) {
        let what = table.map { $0 + " header" } ?? memberHeader
        try region.check(offset, layout.memberHeaderSize, what)
        let w = layout.offsetWidth
        let size = try Self.decimal(region, at: offset, width: w, what + " ar_size")
        let next = try Self.decimal(region, at: offset + w, width: w, what + " ar_nxtmem")
        let nameLength = try Self.decimal(region, at: offset + layout.memberHeaderSize - 4, width: 4, what + " ar_namlen")
        let nameOffset = offset + layout.memberHeaderSize
        let name = try region.bytes(nameOffset, nameLength, "name of archive member")
        // The name is padded to an even length and followed by the two bytes "`\n". AIX `ar`,
        // llvm-ar and Go write them, and LLVM refuses a header without them: checked, they tell
        // a member header from whatever else an offset may point at (zeros would parse as an
        // empty member without a name).
        let terminator = nameOffset + nameLength + (nameLength & 1)
        let fmag = try region.bytes(terminator, 2, what + " terminator")
        guard fmag.hasPrefix("`\n") else {
            throw region.error(what, at: terminator, "no \"`\\n\" after the member name (is this really a member header?)")
        }
        let contents = try region.slice(terminator + 2, size, table.map { "contents of " + $0 } ?? "contents of archive member \(name)")
        return (ArchiveMember(name: name, headerOffset: offset, contents: contents), next)
    }

    /// The 32-bit (`bits64: false`) or 64-bit global symbol table; empty when the archive has none.
    public func globalSymbols(bits64: Bool) throws(ParseError) -> [ArchiveSymbol] {
        guard let r = try table(bits64 ? .symbolTable64 : .symbolTable) else { return [] }
        let word = layout.symbolTableWordSize
        let what = "\(layout.name) \(bits64 ? 64 : 32)-bit global symbol table"
        let count = try Self.word(r, at: 0, word, what)
        try r.checkTable(word, count: count, size: word, what)
        var names = word + count * word
        var out: [ArchiveSymbol] = []
        // Every entry needs at least one byte of name: a count larger than that is corrupt.
        guard count <= r.count - names else {
            throw r.error(what, at: 0, "\(count) names cannot fit in \(r.count - names) bytes")
        }
        out.reserveCapacity(count)
        for i in 0..<count {
            let member = try Self.word(r, at: word + i * word, word, what)
            let name = try r.cString(names, "name \(i) of " + what)
            out.append(ArchiveSymbol(name: name, memberOffset: member))
            names += name.count + 1
        }
        return out
    }

    private static func word(_ r: ByteRegion, at o: Int, _ size: Int, _ what: String) throws(ParseError) -> Int {
        let v = size == 8 ? try r.u64(o, .big, what) : UInt64(try r.u32(o, .big, what))
        guard v <= UInt64(Int32.max) else { throw r.error(what, at: o, "value \(v) is impossible") }
        return Int(v)
    }

    /// An ASCII decimal field, left-aligned and padded with blanks (or NULs).
    static func decimal(_ r: ByteRegion, at o: Int, width: Int, _ what: @autoclosure () -> String) throws(ParseError) -> Int {
        let field = try r.bytes(o, width, what())
        var value = 0
        var digits = 0
        var ended = false
        for b in field.bytes {
            if b >= 0x30 && b <= 0x39 && !ended {
                value = value * 10 + Int(b - 0x30)
                digits += 1
                if value > Int(Int32.max) * 1024 {
                    throw r.error(what(), at: o, "number is too large")
                }
            } else if b == 0x20 || b == 0 {
                ended = digits > 0 || ended
            } else {
                throw r.error(what(), at: o, "not a decimal number: \"\(field.string)\"")
            }
        }
        return value
    }
}
