#if canImport(Glibc)
import Glibc
#endif
import MappedFile

/// Why `--output FILE` could not be written; the previous file, if any, is left as it was.
public struct ReportFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// `--output FILE` and `--write-baseline FILE`.
///
/// A regular file (or a path that does not exist yet) is replaced atomically: the report is
/// written to an unnamed file in the same directory (`O_TMPFILE`, or a `mkstemp` file where the
/// file system has no unnamed files), flushed to the disk and renamed over FILE, so a reader (a CI
/// upload step) sees the old report or the whole new one, never half of one.
/// Anything else is not a place to rename onto (the process may be root, as in CI containers):
/// a symbolic link is followed and its target written; a device, a FIFO, `-`, `/dev/stdout`,
/// `/dev/fd/N` are written directly; a directory is an error.
public enum ReportFile {
    public static func write(path: String, render: (OutputBuffer) -> Void) throws(ReportFileError) {
        switch try destination(of: path) {
        case .descriptor(let fd, let owned):
            let out = OutputBuffer(fd: fd)
            render(out)
            out.flush()
            if owned { close(fd) }
            if out.writeError != 0 { throw ReportFileError(description: "\(path): cannot write: \(errorText(out.writeError))") }
        case .replace(let target):
            try replace(target, shownAs: path, render: render)
        }
    }

    enum Destination: Equatable {
        /// Written directly; `owned` when the descriptor was opened here and is closed after.
        case descriptor(Int32, owned: Bool)
        /// A regular file or a new path: replaced atomically.
        case replace(String)
    }

    /// Where the bytes for `path` go: symbolic links followed (40 at most, as the kernel does).
    static func destination(of path: String) throws(ReportFileError) -> Destination {
        var current = path
        for _ in 0..<40 {
            if let n = standardStream(current) {
                guard fcntl(n, F_GETFD) >= 0 else { throw ReportFileError(description: "\(path): descriptor \(n) is not open") }
                return .descriptor(n, owned: false)
            }
            var st = stat()
            guard lstat(current, &st) == 0 else {
                if errno == ENOENT { return .replace(current) }
                throw ReportFileError(description: "\(path): cannot examine \(current): \(errorText())")
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                var link = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &link, link.count - 1)
                guard n > 0 else { throw ReportFileError(description: "\(path): cannot read the link \(current): \(errorText())") }
                let text = String(decoding: link[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = text.hasPrefix("/") ? text : directory(of: current) + "/" + text
            case S_IFREG:
                return .replace(current)
            case S_IFDIR:
                throw ReportFileError(description: "\(path): is a directory")
            default:
                return try openSpecial(current, shownAs: path, isFIFO: st.st_mode & S_IFMT == S_IFIFO)
            }
        }
        throw ReportFileError(description: "\(path): too many levels of symbolic links")
    }

    /// `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: the descriptor itself.
    /// Opening them again would truncate a redirected file, and renaming onto them would replace
    /// the link (as root) or fail (as anyone else).
    static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let n = Int32(path.dropFirst(prefix.count)), n >= 0 { return n }
            }
            return nil
        }
    }

    /// A device, FIFO or socket: written in place. A FIFO is opened without blocking so that
    /// one nobody reads is an error rather than a hang.
    static func openSpecial(_ target: String, shownAs path: String, isFIFO: Bool) throws(ReportFileError) -> Destination {
        let fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC | (isFIFO ? O_NONBLOCK : 0))
        guard fd >= 0 else {
            let e = errno
            let why = isFIFO && e == ENXIO ? "no process reads the FIFO" : errorText(e)
            throw ReportFileError(description: "\(path): cannot open: \(why)")
        }
        if isFIFO { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        return .descriptor(fd, owned: true)
    }

    /// Writes a complete new file next to `target` and renames it over `target`.
    static func replace(_ target: String, shownAs path: String, render: (OutputBuffer) -> Void) throws(ReportFileError) {
        let dir = directory(of: target)
        var temp = TemporaryReport(directory: dir, baseName: baseName(target))
        defer { temp.discard() }
        let fd = temp.fd
        guard fd >= 0 else { throw ReportFileError(description: "\(path): cannot create a file in \(dir): \(errorText(temp.openError))") }
        let out = OutputBuffer(fd: fd)
        render(out)
        out.flush()
        if out.writeError != 0 { throw ReportFileError(description: "\(path): cannot write: \(errorText(out.writeError))") }
        guard fsync(fd) == 0 else { throw ReportFileError(description: "\(path): cannot flush to disk: \(errorText())") }
        if let e = temp.commit(to: target) { throw ReportFileError(description: "\(path): cannot replace: \(errorText(e))") }
        // The rename itself is durable once the directory is synced.
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    static func directory(of path: String) -> String { PathName.directory(of: path) }

    static func baseName(_ path: String) -> String { PathName.baseName(path) }

    static func errorText(_ code: Int32 = errno) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        let t = String(cString: s)
        guard let f = t.first else { return t }
        return f.lowercased() + t.dropFirst()
    }
}
