#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MappedFile
import XCOFF

/// What the first bytes of a file say it is. The suffix is never trusted: AIX shared objects are
/// often named `.a`, and `.so` files can be archives.
public enum FileKind: Equatable, Sendable {
    case xcoff
    case aixBigArchive
    case aixSmallArchive
    case arArchive
    case thinArchive
    case elf
    case empty
    /// Not a format we read; the associated text says what it looks like.
    case unknown(String)

    public static func sniff(_ r: ByteRegion) throws(ParseError) -> FileKind {
        if r.count == 0 { return .empty }
        if try XCOFFWidth.sniff(r) != nil { return .xcoff }
        if try hasPrefix(r, "<bigaf>\n") { return .aixBigArchive }
        if try hasPrefix(r, "<aiaff>\n") { return .aixSmallArchive }
        if try hasPrefix(r, "!<arch>\n") { return .arArchive }
        if try hasPrefix(r, "!<thin>\n") { return .thinArchive }
        if try hasPrefix(r, "\u{7F}ELF") { return .elf }
        return .unknown(try describe(r))
    }

    /// True when the first bytes of the file at `path` are the magic of a format symscan reads
    /// (or the file cannot be opened, so that the loader reports why). Reads 8 bytes.
    public static func startsLikeAnObject(path: String) -> Bool {
        startsLikeAnObject(open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK))
    }

    /// The same for `name` in the directory open as `directory` (one name looked up, not a path).
    static func startsLikeAnObject(directory: Int32, name: UnsafePointer<CChar>) -> Bool {
        startsLikeAnObject(openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK))
    }

    /// Reads the first 8 bytes of `fd` (closed afterwards). A file that cannot be opened or
    /// read is taken to be an object, so that the loader reports why it cannot be read.
    private static func startsLikeAnObject(_ fd: Int32) -> Bool {
        if fd < 0 { return true }
        defer { close(fd) }
        var head: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &head) { pread(fd, $0.baseAddress, 8, 0) }
        if n < 0 { return true }
        return withUnsafeBytes(of: &head) { b in
            func starts(_ magic: StaticString) -> Bool {
                let m = magic.utf8CodeUnitCount
                return n >= m && memcmp(b.baseAddress!, magic.utf8Start, m) == 0
            }
            if n >= 2 && b[0] == 0x01 && (b[1] == 0xDF || b[1] == 0xF7 || b[1] == 0xEF) { return true }
            return starts("\u{7F}ELF") || starts("!<arch>\n") || starts("!<thin>\n")
                || starts("<bigaf>\n") || starts("<aiaff>\n")
        }
    }

    private static func hasPrefix(_ r: ByteRegion, _ magic: StaticString) throws(ParseError) -> Bool {
        let n = magic.utf8CodeUnitCount
        guard r.contains(offset: 0, length: n) else { return false }
        return try r.bytes(0, n, "file magic").hasPrefix(magic)
    }

    /// A short guess at what an unknown file is, for "not an object file: looks like …".
    private static func describe(_ r: ByteRegion) throws(ParseError) -> String {
        if try hasPrefix(r, "MZ") { return "looks like a Windows PE/DOS executable" }
        if try hasPrefix(r, "PK\u{03}\u{04}") { return "looks like a zip archive" }
        if try hasPrefix(r, "\u{CF}\u{FA}\u{ED}\u{FE}") { return "looks like a Mach-O file" }
        if try hasPrefix(r, "\u{CE}\u{FA}\u{ED}\u{FE}") { return "looks like a Mach-O file" }
        if try hasPrefix(r, "\u{1F}\u{8B}") { return "looks like gzip-compressed data" }
        let sample = try r.bytes(0, min(r.count, 512), "file start")
        let printable = sample.bytes.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 != 127) }
        return printable ? "looks like a text file" : "unrecognised binary data"
    }
}
