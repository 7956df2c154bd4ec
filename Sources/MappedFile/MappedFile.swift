#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be opened or mapped. Carries the OS error text, never a trap.
public struct FileOpenError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { message }
}

/// A read-only, private memory mapping of a whole file.
///
/// The mapping lives as long as this object; every `ByteRegion` and `NameView` taken from it
/// keeps a strong reference (regions) or must not outlive it (name views, documented there).
/// Nothing is ever written through the mapping: it is `PROT_READ`.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// Start of the mapping; `nil` for an empty file (mmap refuses length 0).
    let base: UnsafeRawPointer?
    public let size: Int

    /// Maps `path` read-only. Directories, FIFOs, devices and unreadable files are refused
    /// with a message that says which, before anything is mapped.
    public init(path: String) throws(FileOpenError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            throw FileOpenError(path: path, message: MappedFile.errnoText(errno))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 {
            throw FileOpenError(path: path, message: MappedFile.errnoText(errno))
        }
        let mode = st.st_mode & S_IFMT
        if mode == S_IFDIR { throw FileOpenError(path: path, message: "is a directory") }
        if mode == S_IFIFO { throw FileOpenError(path: path, message: "is a FIFO, not a regular file") }
        if mode == S_IFSOCK { throw FileOpenError(path: path, message: "is a socket, not a regular file") }
        if mode == S_IFCHR || mode == S_IFBLK {
            throw FileOpenError(path: path, message: "is a device, not a regular file")
        }
        let length = Int(st.st_size)
        self.size = length
        if length == 0 {
            self.base = nil
            return
        }
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FileOpenError(path: path, message: "cannot map: " + MappedFile.errnoText(errno))
        }
        self.base = UnsafeRawPointer(p)
    }

    /// An in-memory "file": the bytes are copied into a private anonymous mapping, so data that
    /// did not come from disk (text pasted on stdin, an entry inflated from a zip) is read
    /// through the same bounds-checked reader. `path` names it in error messages.
    public init(copying bytes: [UInt8], path: String) {
        self.path = path
        guard !bytes.isEmpty,
              let p = mmap(nil, bytes.count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              p != MAP_FAILED
        else {
            // Empty, or no memory for it: an empty region, which every read refuses.
            self.base = nil
            self.size = 0
            return
        }
        self.size = bytes.count
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        mprotect(p, bytes.count, PROT_READ)
        self.base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The whole file as a region.
    public var region: ByteRegion { ByteRegion(file: self, start: 0, count: size) }

    static func errnoText(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        let text = String(cString: s)
        // "Permission denied" reads better lowercased in "symscan: FILE: permission denied".
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
