#if canImport(Glibc)
import Glibc
#endif
import CZlib
import MappedFile

/// Why bytes could not be held in memory as a file.
public struct InMemoryFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension MappedFile {
    /// An anonymous in-memory file of `size` bytes, filled by `fill`, then mapped read-only like
    /// any other file: an inflated wheel member is read by the same readers as a file on disk,
    /// and nothing is written to the disk (memfd_create(2); the pages go when the mapping does).
    ///
    /// The owner is the `MappedFile` itself: its mapping keeps the memory file alive after the
    /// descriptor is closed here.
    public static func inMemory(size: Int, name: String,
                                fill: (UnsafeMutableRawBufferPointer) throws(InMemoryFileError) -> Void) throws(InMemoryFileError) -> MappedFile {
        let fd = memfd_create(name, SYMSCAN_MFD_CLOEXEC)
        guard fd >= 0 else { throw InMemoryFileError(description: "cannot create an in-memory file: \(errnoText())") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else {
            throw InMemoryFileError(description: "cannot hold \(size) bytes in memory: \(errnoText())")
        }
        if size > 0 {
            guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
                throw InMemoryFileError(description: "cannot map \(size) bytes of memory: \(errnoText())")
            }
            defer { munmap(p, size) }
            try fill(UnsafeMutableRawBufferPointer(start: p, count: size))
        }
        do {
            return try MappedFile(path: "/proc/self/fd/\(fd)")
        } catch {
            throw InMemoryFileError(description: "cannot map the in-memory file: \(error.message)")
        }
    }
}

func errnoText() -> String {
    guard let s = strerror(errno) else { return "error \(errno)" }
    return String(cString: s)
}
