#if canImport(Glibc)
import Glibc
#endif

/// The file a report is written to before it replaces the old one.
///
/// Preferably an unnamed file (`O_TMPFILE`): nothing is left behind whatever kills the process,
/// even SIGKILL; it gets a name only for the instant between `linkat` and `rename`. Where the file
/// system has no unnamed files, a `mkstemp` file (created with `O_EXCL`, in the target's own
/// directory so the rename stays atomic). While a named file exists, SIGINT, SIGTERM and SIGHUP
/// remove it before the process dies.
struct TemporaryReport {
    private(set) var fd: Int32 = -1
    private(set) var openError: Int32 = 0
    /// The temporary name while one exists on disk.
    private var name: String?
    private let directory: String
    private let baseName: String

    init(directory: String, baseName: String) {
        self.directory = directory
        self.baseName = baseName
        // O_TMPFILE is a composite macro Swift does not import: __O_TMPFILE | O_DIRECTORY.
        let oTmpfile = Int32(0o20000000) | O_DIRECTORY
        fd = open(directory, oTmpfile | O_WRONLY | O_CLOEXEC, 0o666)
        if fd >= 0 { return }
        let e = errno
        guard e == EOPNOTSUPP || e == EISDIR || e == EINVAL else {
            openError = e
            return
        }
        var template = Array(freshName().utf8CString)
        TempCleanup.installHandlers()
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            openError = errno
            return
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let made = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        name = made
        TempCleanup.register(made)
        // mkstemp makes the file 0600; a report is as readable as any file the user creates.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
    }

    /// `.NAME.symscan-XXXXXX` in the target's directory (the X's are filled in by mkstemp, or
    /// here for a link to an unnamed file).
    private func freshName() -> String { "\(directory)/.\(baseName).symscan-XXXXXX" }

    /// Gives the written file the name `target`; the errno of what failed, nil on success.
    mutating func commit(to target: String) -> Int32? {
        if name == nil {
            // Name the unnamed file through /proc (linkat with AT_EMPTY_PATH needs a capability).
            let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            var linked = false
            for _ in 0..<100 {
                let suffix = String((0..<6).map { _ in letters.randomElement()! })
                let candidate = String(freshName().dropLast(6)) + suffix
                TempCleanup.installHandlers()
                TempCleanup.register(candidate)
                if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0 {
                    name = candidate
                    linked = true
                    break
                }
                let e = errno
                TempCleanup.clear()
                if e != EEXIST { return e }
            }
            guard linked else { return EEXIST }
        }
        let closed = close(fd)
        let closeError = errno
        fd = -1
        guard closed == 0 else { return closeError }
        guard let name, rename(name, target) == 0 else { return errno }
        self.name = nil
        TempCleanup.clear()
        return nil
    }

    /// Removes whatever is left (after an error, or nothing after a commit).
    mutating func discard() {
        if fd >= 0 { close(fd) }
        fd = -1
        if let name { unlink(name) }
        name = nil
        TempCleanup.clear()
    }
}

/// The one temporary name a signal handler removes. The handler only reads a fixed buffer (no
/// allocation, no lock), then lets the signal do what it would have done.
enum TempCleanup {
    nonisolated(unsafe) static let path: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
        p[0] = 0
        return p
    }()
    nonisolated(unsafe) static var installed = false

    static func installHandlers() {
        guard !installed else { return }
        installed = true
        _ = path
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { sig in
                if TempCleanup.path[0] != 0 { unlink(TempCleanup.path) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&sa.sa_mask)
            var old = sigaction()
            // A signal the caller chose to ignore stays ignored.
            sigaction(sig, nil, &old)
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }  // SIG_IGN
            sigaction(sig, &sa, nil)
        }
    }

    /// The first byte is written last, so the handler never sees half a name.
    static func register(_ name: String) {
        path[0] = 0
        let bytes = Array(name.utf8)
        guard bytes.count <= Int(PATH_MAX), !bytes.isEmpty else { return }
        for (i, b) in bytes.enumerated().dropFirst() { path[i] = CChar(bitPattern: b) }
        path[bytes.count] = 0
        path[0] = CChar(bitPattern: bytes[0])
    }

    static func clear() { path[0] = 0 }
}
