#if canImport(Glibc)
import Glibc
#endif
import CMappingGuard
import Synchronization

/// Whether any input shrank while this process read it, asked once at the end of a run.
///
/// The loader checks each file once it has parsed it, but names stay views into the mapping
/// and are read again afterwards (matching, sorting, hashing). A file cut after that check
/// reads as zeros under the SIGBUS guard: unresolved "names" made of NUL bytes, a wrong answer
/// with exit 1. So `diagnose`, `check`, `link-line` and `providers` turn the watch on before
/// they read anything, and before they print a verdict ask `shrunkFiles()`: every file mapped
/// since is stat'ed again (same device and inode, smaller: it shrank), any SIGBUS the guard
/// absorbed counts, and a shrunken input is reported (exit 2) instead of the verdict.
public enum ShrinkWatch {
    final class Entry: @unchecked Sendable {
        let path: String
        let size: Int
        let device: UInt64
        let inode: UInt64
        /// While the file is open: whether the guard absorbed a read past its end.
        weak var file: MappedFile?
        /// The file's identity while it lives (weak references are already nil in its deinit).
        let id: ObjectIdentifier
        /// Set when the file is closed after such a read.
        var faulted = false

        init(path: String, size: Int, device: UInt64, inode: UInt64, file: MappedFile) {
            (self.path, self.size, self.device, self.inode, self.file) = (path, size, device, inode, file)
            id = ObjectIdentifier(file)
        }
    }

    private static let entries = Mutex<[Entry]>([])
    nonisolated(unsafe) private static var enabled = false

    /// Starts recording the files mapped from now on (call before any work starts).
    public static func start() { enabled = true }

    static func opened(_ file: MappedFile, _ st: stat) {
        guard enabled else { return }
        let e = Entry(path: file.path, size: file.size, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), file: file)
        entries.withLock { $0.append(e) }
    }

    /// A file closed after the guard absorbed a read past its end.
    static func closed(faulted file: MappedFile) {
        guard enabled else { return }
        let id = ObjectIdentifier(file)
        entries.withLock { for e in $0 where e.id == id && !e.faulted { e.faulted = true } }
    }

    /// One message per input that shrank (`PATH: file shrank while being read (…)`), empty
    /// when none did. A SIGBUS absorbed in a file no longer on disk under its name is still
    /// reported, without the name.
    public static func shrunkFiles() -> [(path: String, message: String)] {
        var out: [(String, String)] = []
        for e in entries.withLock({ $0 }) {
            var st = stat()
            let found = stat(e.path, &st) == 0 && UInt64(st.st_dev) == e.device && UInt64(st.st_ino) == e.inode
            if found && Int(st.st_size) < e.size {
                out.append((e.path, "file shrank while being read (\(e.size) bytes when opened, now \(st.st_size) bytes); not used"))
            } else if e.faulted || (e.file?.shrankWhileMapped ?? false) {
                // Cut and written again since: the guard saw the cut.
                out.append((e.path, "file shrank while being read (\(e.size) bytes when opened; a read past its end found nothing); not used"))
            }
        }
        if out.isEmpty && symscan_guard_total_faults() > 0 {
            out.append(("<input>", "a file shrank while being read (a read past its new end was answered with zeros); the result is not used"))
        }
        return out
    }
}
