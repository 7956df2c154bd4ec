#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The fields of a `readdir` entry, read in place. A `dirent` is only as long as its name:
/// copying the whole `d_name` array (`e.pointee.d_name`) can read past the end of the
/// directory buffer, and does fault when that buffer ends a heap mapping (seen from worker
/// threads, whose heaps are smaller).
public enum DirectoryEntry {
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    private static let typeOffset = MemoryLayout<dirent>.offset(of: \dirent.d_type)!

    /// The entry's NUL-terminated name.
    @inline(__always)
    public static func name(_ e: UnsafeMutablePointer<dirent>) -> UnsafePointer<CChar> {
        (UnsafeRawPointer(e) + nameOffset).assumingMemoryBound(to: CChar.self)
    }

    /// `d_type` (`DT_REG`, `DT_DIR`, … or `DT_UNKNOWN`).
    @inline(__always)
    public static func type(_ e: UnsafeMutablePointer<dirent>) -> UInt8 {
        UnsafeRawPointer(e).load(fromByteOffset: typeOffset, as: UInt8.self)
    }

    /// True for `.` and `..`.
    public static func isDotOrDotDot(_ name: UnsafePointer<CChar>) -> Bool {
        name[0] == 0x2E && (name[1] == 0 || (name[1] == 0x2E && name[2] == 0))
    }
}
