#if canImport(Glibc)
import Glibc
#endif
import MappedFile

/// Why `--output FILE` could not be written; the previous file, if any, is left as it was.
public struct ReportFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// `--output FILE`: the report is written to a temporary file in the same directory, flushed to
/// the disk (fsync) and renamed over FILE, so a reader (a CI upload step) sees the old report
/// or the whole new one, never half of one.
public enum ReportFile {
    public static func write(path: String, render: (OutputBuffer) -> Void) throws(ReportFileError) {
        let dir = directory(of: path)
        var template = Array("\(dir)/.\(baseName(path)).symscan-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ReportFileError(description: "\(path): cannot create a file in \(dir): \(errorText())") }
        let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var committed = false
        defer {
            if !committed { unlink(temp) }
        }
        // mkstemp makes the file 0600; a report is as readable as any file the user creates.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        let out = OutputBuffer(fd: fd)
        render(out)
        out.flush()
        if out.writeError != 0 {
            close(fd)
            throw ReportFileError(description: "\(path): cannot write: \(errorText(out.writeError))")
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd)
            throw ReportFileError(description: "\(path): cannot flush to disk: \(errorText(e))")
        }
        guard close(fd) == 0 else { throw ReportFileError(description: "\(path): cannot write: \(errorText())") }
        guard rename(temp, path) == 0 else { throw ReportFileError(description: "\(path): cannot replace: \(errorText())") }
        committed = true
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
