#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounds-checked window onto a `MappedFile`: the whole file, an archive member, a section.
///
/// This is the one byte reader of the project. Every read names the structure it belongs to and
/// is checked against the region before the memory is touched; a read that does not fit throws
/// a `ParseError` with the absolute file offset. Offsets passed in are relative to the region.
public struct ByteRegion: @unchecked Sendable {
    public let file: MappedFile
    /// Absolute offset of the region in the file.
    public let start: Int
    public let count: Int

    init(file: MappedFile, start: Int, count: Int) {
        self.file = file
        self.start = start
        self.count = count
    }

    /// Raw bytes of the region; `nil` for an empty file.
    @inlinable @inline(__always)
    var pointer: UnsafeRawPointer? { file.base.map { $0 + start } }

    /// True when `length` bytes at `offset` lie inside the region; never overflows.
    @inlinable @inline(__always)
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    @inlinable @inline(__always)
    public func check(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws(ParseError) {
        guard contains(offset: offset, length: length) else {
            throw truncation(offset, length, what())
        }
    }

    @usableFromInline
    func truncation(_ offset: Int, _ length: Int, _ what: String) -> ParseError {
        if offset < 0 || offset > count {
            return ParseError(what, at: start + max(0, min(offset, count)),
                              "offset \(offset) is outside the \(count)-byte \(regionNoun)")
        }
        return ParseError("truncated \(what)", at: start + offset,
                          "needs \(length) bytes, \(count - offset) left in the \(regionNoun)")
    }

    private var regionNoun: String { start == 0 && count == file.size ? "file" : "region" }

    /// A sub-region, e.g. an archive member or a section's contents.
    public func slice(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws(ParseError) -> ByteRegion {
        try check(offset, length, what())
        return ByteRegion(file: file, start: start + offset, count: length)
    }

    /// Builds an error located at `offset` within this region (converted to a file offset).
    public func error(_ what: String, at offset: Int, _ problem: String) -> ParseError {
        ParseError(what, at: start + max(0, min(offset, count)), problem)
    }

    // MARK: integers

    @inlinable @inline(__always)
    public func u8(_ offset: Int, _ what: @autoclosure () -> String) throws(ParseError) -> UInt8 {
        try check(offset, 1, what())
        return pointer!.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inlinable @inline(__always)
    public func u16(_ offset: Int, _ endian: Endian, _ what: @autoclosure () -> String) throws(ParseError) -> UInt16 {
        try check(offset, 2, what())
        let v = pointer!.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return endian == .big ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    @inlinable @inline(__always)
    public func u32(_ offset: Int, _ endian: Endian, _ what: @autoclosure () -> String) throws(ParseError) -> UInt32 {
        try check(offset, 4, what())
        let v = pointer!.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return endian == .big ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    @inlinable @inline(__always)
    public func u64(_ offset: Int, _ endian: Endian, _ what: @autoclosure () -> String) throws(ParseError) -> UInt64 {
        try check(offset, 8, what())
        let v = pointer!.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return endian == .big ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }

    // MARK: names and strings

    /// A fixed-width name field (XCOFF section names, inline symbol names): the bytes up to the
    /// first NUL, or the whole field when it has none.
    public func fixedName(_ offset: Int, width: Int, _ what: @autoclosure () -> String) throws(ParseError) -> NameView {
        try check(offset, width, what())
        let p = pointer! + offset
        let n = memchr(p, 0, width).map { UnsafeRawPointer($0) - p } ?? width
        return NameView(start: p, count: n)
    }

    /// A NUL-terminated string starting at `offset`; the NUL must lie inside the region.
    public func cString(_ offset: Int, _ what: @autoclosure () -> String) throws(ParseError) -> NameView {
        guard offset >= 0, offset < count else { throw truncation(offset, 1, what()) }
        let p = pointer! + offset
        guard let nul = memchr(p, 0, count - offset) else {
            throw ParseError(what(), at: start + offset,
                             "string has no terminating NUL before the end of the \(regionNoun)")
        }
        return NameView(start: p, count: UnsafeRawPointer(nul) - p)
    }

    /// `length` raw bytes as a view (e.g. an ASCII header field).
    public func bytes(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws(ParseError) -> NameView {
        try check(offset, length, what())
        return NameView(start: length == 0 ? nil : pointer! + offset, count: length)
    }

    /// Checks that `count` records of `size` bytes starting at `offset` fit, without the
    /// multiplication overflowing. Call before iterating a table whose count comes from the file.
    public func checkTable(_ offset: Int, count n: Int, size: Int, _ what: @autoclosure () -> String) throws(ParseError) {
        let (total, overflow) = n.multipliedReportingOverflow(by: size)
        if n < 0 || overflow {
            throw ParseError(what(), at: start + max(0, min(offset, count)), "entry count \(n) is impossible")
        }
        guard contains(offset: offset, length: total) else {
            if offset < 0 || offset > count {
                throw truncation(offset, total, what())
            }
            throw ParseError("truncated \(what())", at: start + offset,
                             "\(n) entries of \(size) bytes need \(total) bytes, \(count - offset) left in the \(regionNoun)")
        }
    }
}
