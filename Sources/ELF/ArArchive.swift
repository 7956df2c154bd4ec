import MappedFile

/// A Unix `ar` archive (`!<arch>\n`): static libraries (`.a`) and Rust `.rlib`s.
///
/// Parsed in pure Swift over `ByteRegion` (every field bounds-checked); only the members are
/// handed to a format reader. Understood: GNU/SysV names (`name/`), the GNU long-name table
/// (`//`, referenced as `/123`), BSD names (`#1/N`, the name stored before the data), and the
/// symbol tables (`/`, `/SYM64/`, `__.SYMDEF…`), which are skipped: the members' own symbol
/// tables are the truth.
public enum ArArchive {
    public static let magic: StaticString = "!<arch>\n"
    public static let thinMagic: StaticString = "!<thin>\n"
    static let headerSize = 60

    public struct Member: Sendable {
        /// The name `ar t` shows.
        public let name: String
        /// Offset of the member header in the archive region.
        public let headerOffset: Int
        /// The member's bytes (for BSD names, without the name in front of them).
        public let data: ByteRegion
    }

    /// The members in archive order, without the symbol and name tables.
    public static func members(_ r: ByteRegion) throws(ParseError) -> [Member] {
        let m = try r.bytes(0, magic.utf8CodeUnitCount, "ar archive magic")
        guard m.hasPrefix(magic) else { throw r.error("ar archive magic", at: 0, "not an ar archive") }
        var out: [Member] = []
        var longNames: ByteRegion?
        var offset = magic.utf8CodeUnitCount
        while offset < r.count {
            // Some writers pad the end with newlines; anything else short is a truncated header.
            if r.count - offset < headerSize, try r.bytes(offset, r.count - offset, "ar padding").bytes.allSatisfy({ $0 == 10 }) {
                break
            }
            // Made only for an error: a message per member cost more than reading its header.
            let header = offset
            func what() -> String { "ar member header at \(header)" }
            let fmag = try r.bytes(offset + 58, 2, what())
            guard fmag.hasPrefix("`\n") else {
                throw r.error(what(), at: offset + 58, "bad terminator (expected \"`\\n\")")
            }
            let size = try decimal(r, offset + 48, 10, what())
            let dataStart = offset + headerSize
            var data = try r.slice(dataStart, size, "ar member data")
            let rawName = try r.bytes(offset, 16, what())
            let field = trimmed(rawName)

            if field.equals("/") || field.equals("/SYM64/") || field.hasPrefix("__.SYMDEF") {
                // symbol index
            } else if field.equals("//") {
                longNames = data
            } else {
                let name: String
                if field.hasPrefix("#1/") {
                    let n = try decimal(r, offset + 3, 13, what())
                    guard n <= size else { throw r.error(what(), at: offset, "BSD name length \(n) exceeds member size \(size)") }
                    let bytes = try r.bytes(dataStart, n, "ar BSD member name")
                    name = String(decoding: bytes.bytes.prefix { $0 != 0 }, as: UTF8.self)
                    data = try r.slice(dataStart + n, size - n, "ar member data")
                } else if field.first == UInt8(ascii: "/") {
                    name = try longName(field, longNames, r, at: offset)
                } else {
                    let s = field.string
                    name = s.hasSuffix("/") ? String(s.dropLast()) : s
                }
                out.append(Member(name: name, headerOffset: offset, data: data))
            }
            // Member data is padded to an even offset.
            let (next, overflow) = dataStart.addingReportingOverflow(size + (size & 1))
            guard !overflow else { break }
            offset = next
        }
        return out
    }

    /// `/123`: the name at offset 123 of the `//` table, ending with `/\n` (GNU) or `\n`.
    private static func longName(_ field: NameView, _ table: ByteRegion?, _ r: ByteRegion, at offset: Int) throws(ParseError) -> String {
        guard let table else {
            throw r.error("ar member header at \(offset)", at: offset, "long name \(field) but the archive has no // name table")
        }
        let digits = field.dropFirst()
        guard !digits.isEmpty, digits.count <= 18, digits.bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw r.error("ar member header at \(offset)", at: offset, "bad member name \(field)")
        }
        var at = 0
        for b in digits.bytes { at = at * 10 + Int(b - 0x30) }
        guard at < table.count else {
            throw r.error("ar member header at \(offset)", at: offset,
                          "long name offset \(at) is outside the \(table.count)-byte name table")
        }
        let rest = try table.bytes(at, table.count - at, "ar long name")
        var bytes = rest.bytes.prefix { $0 != 10 && $0 != 0 }
        if bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A space-padded decimal field.
    private static func decimal(_ r: ByteRegion, _ at: Int, _ width: Int, _ what: @autoclosure () -> String) throws(ParseError) -> Int {
        let f = trimmed(try r.bytes(at, width, what()))
        guard !f.isEmpty, f.count <= 18, f.bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw r.error(what(), at: at, "field \"\(f)\" is not a decimal number")
        }
        var v = 0
        for b in f.bytes { v = v * 10 + Int(b - 0x30) }
        return v
    }

    /// The field without trailing spaces.
    private static func trimmed(_ v: NameView) -> NameView {
        var n = v.count
        while n > 0 && v.bytes[n - 1] == UInt8(ascii: " ") { n -= 1 }
        return NameView(start: v.start, count: n)
    }
}
