#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMappingGuard
import Synchronization

/// Bytes of mappings that may still be left for the process's exit to unmap (see
/// `MappedFile.leaveMappingsToExit`).
private let exitBudget = Atomic<Int>(0)

/// Why a file could not be opened or mapped. Carries the OS error text, never a trap.
public struct FileOpenError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { message }
}

/// A read-only, private memory mapping of a whole file, or an in-memory copy of some bytes.
///
/// The mapping lives as long as this object; every `ByteRegion` and `NameView` taken from it
/// keeps a strong reference (regions) or must not outlive it (name views, documented there).
/// Nothing is ever written through the mapping: it is `PROT_READ`.
///
/// A file that another process truncates while it is mapped would raise SIGBUS on the next read
/// of a page past its new end. Mappings are registered with a SIGBUS guard (`CMappingGuard`):
/// such a read sees zeros instead, and `shrankWhileMapped` becomes true, so the reader can throw
/// away what it parsed and report the file. When the guard has no free slot (4096 mappings
/// alive), the file is read into memory instead of being mapped.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// Start of the bytes; `nil` for an empty file (mmap refuses length 0).
    @usableFromInline let base: UnsafeRawPointer?
    public let size: Int
    private let storage: Storage

    private enum Storage {
        case none
        /// mmap'd, with the SIGBUS guard slot that covers it.
        case mapped(slot: Int32)
        /// malloc'd and owned (in-memory bytes, or a file read because the guard was full).
        case owned
    }

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
            self.storage = .none
            return
        }
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FileOpenError(path: path, message: "cannot map: " + MappedFile.errnoText(errno))
        }
        let slot = symscan_guard_register(p, length)
        if slot >= 0 {
            self.base = UnsafeRawPointer(p)
            self.storage = .mapped(slot: slot)
            ShrinkWatch.opened(self, st)
            return
        }
        // No guard slot (hundreds of files open at once): read the file rather than map it
        // unguarded.
        munmap(p, length)
        guard let buffer = malloc(length) else {
            throw FileOpenError(path: path, message: "cannot allocate \(length) bytes to read it")
        }
        var done = 0
        while done < length {
            let n = pread(fd, buffer + done, length - done, off_t(done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let text = n < 0 ? MappedFile.errnoText(errno) : "file shrank while being read (was \(length) bytes)"
                free(buffer)
                throw FileOpenError(path: path, message: text)
            }
            done += n
        }
        self.base = UnsafeRawPointer(buffer)
        self.storage = .owned
    }

    /// An in-memory file holding a copy of `bytes` (fuzzing, tests, data that never was a
    /// file). `path` is only used in messages. Read through `region` exactly like a mapping.
    public init(bytes: UnsafeRawBufferPointer, path: String = "<memory>") {
        self.path = path
        self.size = bytes.count
        (self.base, self.storage) = MappedFile.copy(bytes)
    }

    public init(bytes: [UInt8], path: String = "<memory>") {
        self.path = path
        self.size = bytes.count
        (self.base, self.storage) = bytes.withUnsafeBytes { MappedFile.copy($0) }
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer) -> (UnsafeRawPointer?, Storage) {
        guard bytes.count > 0, let src = bytes.baseAddress else { return (nil, .none) }
        guard let buffer = malloc(bytes.count) else { fatalError("out of memory copying \(bytes.count) bytes") }
        memcpy(buffer, src, bytes.count)
        return (UnsafeRawPointer(buffer), .owned)
    }

    deinit {
        switch storage {
        case .none: break
        case .mapped(let slot):
            if symscan_guard_faulted(slot) != 0 { ShrinkWatch.closed(faulted: self) }
            symscan_guard_unregister(slot)
            if exitBudget.subtract(size, ordering: .relaxed).newValue >= 0 { return }
            exitBudget.add(size, ordering: .relaxed)
            munmap(UnsafeMutableRawPointer(mutating: base!), size)
        case .owned:
            free(UnsafeMutableRawPointer(mutating: base!))
        }
    }

    /// From now on, up to `bytes` of mappings are not unmapped when their `MappedFile` goes
    /// away, but left for the process's exit to tear down in one go. For a command that maps
    /// many files one after another and then exits (`symbols` on a directory): each `munmap`
    /// interrupts every other core running one of the process's threads to flush its TLB,
    /// which made a parallel sweep of many small files spend a tenth of its time there. The
    /// pages a mapping touched stay in the resident set until the exit; they are clean page
    /// cache pages, which the kernel can still reclaim. Nothing reads a mapping left this way.
    public static func leaveMappingsToExit(upTo bytes: Int) {
        exitBudget.store(bytes, ordering: .relaxed)
    }

    /// Takes the whole pages of bytes `offset..<offset + length` out of the process's resident
    /// set (`MADV_DONTNEED`), for bytes read and not needed again soon: a listing of a large
    /// symbol table drops what it has written, so its peak memory is not the whole table. The
    /// mapping stays: a later read of those bytes finds them again in the page cache (the file
    /// mapping is read-only, so nothing is lost). Does nothing for bytes read into memory.
    public func release(offset: Int, length: Int) {
        guard case .mapped = storage, let base, length > 0, offset >= 0, offset <= size - length else { return }
        let page = MappedFile.pageSize
        let start = (offset + page - 1) / page * page
        let end = (offset + length) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// True when the bytes are a file mapping under the SIGBUS guard (not read into memory).
    public var isGuardedMapping: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// How many guarded mappings are alive in the process (at most 4096; past that, files are
    /// read into memory instead).
    public static var guardedMappingCount: Int { Int(symscan_guard_slots_in_use()) }

    /// True when the file was truncated while mapped and a read past its new end was answered
    /// with zeros by the SIGBUS guard: anything parsed from it is unreliable.
    public var shrankWhileMapped: Bool {
        if case .mapped(let slot) = storage { return symscan_guard_faulted(slot) != 0 }
        return false
    }

    /// True when the file is known to have shrunk since it was mapped: the SIGBUS guard
    /// answered a read past its new end, or its size on disk is now smaller. (A cut inside the
    /// last mapped page raises no SIGBUS, the rest of that page just reads as zeros: only the
    /// size on disk shows it.) Costs one `stat`; always false for in-memory files.
    public var wasTruncated: Bool {
        guard case .mapped = storage else { return false }
        if shrankWhileMapped { return true }
        return currentSizeOnDisk().map { $0 < size } ?? false
    }

    /// The file's size on disk now, when it can still be found (for the message about a file
    /// that shrank while it was read).
    public func currentSizeOnDisk() -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
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
