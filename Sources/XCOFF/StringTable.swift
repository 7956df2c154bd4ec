import MappedFile

/// The string table that follows the symbol table: a 4-byte length (which counts itself), then
/// NUL-terminated names. Absent or of length 0 or 4 when no name needs it.
struct StringTable: Sendable {
    /// The whole table, length field included, so offsets from symbols index it directly.
    let region: ByteRegion?
    /// True when the table's last byte is a NUL: every name at a valid offset then ends inside it.
    let endsWithNUL: Bool

    init(in file: ByteRegion, at offset: Int) throws(ParseError) {
        // No bytes after the symbol table: a file without long names has no string table.
        guard file.contains(offset: offset, length: 4) else {
            region = nil
            endsWithNUL = false
            return
        }
        let length = Int(try file.u32(offset, .big, "XCOFF string table length"))
        if length <= 4 {
            region = nil
            endsWithNUL = false
            return
        }
        guard file.contains(offset: offset, length: length) else {
            throw file.error("XCOFF string table", at: offset,
                             "length \(length) runs past the end of the file (\(file.count - offset) bytes left)")
        }
        let table = try file.slice(offset, length, "XCOFF string table")
        region = table
        endsWithNUL = try table.u8(length - 1, "XCOFF string table") == 0
    }

    /// Checks what `name(at:)` checks, except that the name ends (see `endsWithNUL`).
    func check(_ offset: UInt32, for what: @autoclosure () -> String, entry: Int, in file: ByteRegion) throws(ParseError) {
        if offset == 0 { return }
        guard let region else {
            throw file.error(what(), at: entry, "name offset \(offset) but the file has no string table")
        }
        guard offset >= 4, Int(offset) < region.count else {
            throw region.error(what(), at: 0,
                               "name offset \(offset) is outside the \(region.count)-byte string table")
        }
    }

    /// The name at `offset`. Offset 0 is an empty name (seen in real C_FILE entries).
    /// `entry` is where the symbol entry that names it lies in `file`, for the error location.
    func name(at offset: UInt32, for what: @autoclosure () -> String, entry: Int, in file: ByteRegion) throws(ParseError) -> NameView {
        if offset == 0 { return .empty }
        try check(offset, for: what(), entry: entry, in: file)
        return try region!.cString(Int(offset), what())
    }
}
