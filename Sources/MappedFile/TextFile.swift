#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a text input (a link line, a response file, a baseline, a PyO3 config) was not read.
public struct TextFileError: Error, CustomStringConvertible, Sendable {
    /// The file as named.
    public let name: String
    public let problem: String
    /// The file could not be opened (a missing `@file` is a literal argument to GCC and ld).
    public var cannotOpen = false

    public init(name: String, problem: String, cannotOpen: Bool = false) {
        self.name = name
        self.problem = problem
        self.cannotOpen = cannotOpen
    }

    public var description: String { "\(name): \(problem)" }
}

/// Text inputs read whole, with a bound on their size: a pasted log, a response file or a
/// baseline from a pull request is untrusted, and `@/dev/zero` never ends. Read with `read(2)`
/// in chunks (a FIFO, a device or stdin has no size to trust), stopping one chunk past the bound.
public enum TextFile {
    /// 16 MiB unless `SYMSCAN_TEXT_LIMIT` (bytes; K, M, G suffixes) says otherwise: a link line
    /// of a large project is a few hundred KiB, a baseline of a thousand modules a few MiB.
    public static let limit: Int = {
        guard let v = getenv("SYMSCAN_TEXT_LIMIT").map({ String(cString: $0) }), let n = parseSize(v) else { return 16 << 20 }
        return n
    }()

    /// `123`, `64K`, `16M`, `1G`.
    static func parseSize(_ s: String) -> Int? {
        var digits = Substring(s)
        var shift = 0
        switch s.last {
        case "K", "k": shift = 10
        case "M", "m": shift = 20
        case "G", "g": shift = 30
        default: break
        }
        if shift > 0 { digits = digits.dropLast() }
        guard let n = Int(digits), n > 0, n <= Int.max >> shift else { return nil }
        return n << shift
    }

    /// The file's text (invalid UTF-8 becomes U+FFFD).
    public static func read(path: String, limit: Int = TextFile.limit) throws(TextFileError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TextFileError(name: path, problem: "cannot read: \(errorText(errno))", cannotOpen: true) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR { throw TextFileError(name: path, problem: "is a directory") }
            if st.st_mode & S_IFMT == S_IFREG && Int(st.st_size) > limit { throw tooLarge(path, limit) }
        }
        return try read(fd: fd, name: path, limit: limit)
    }

    /// Everything `fd` gives until end of file, or an error past `limit` bytes. The bytes go
    /// straight from read(2) into one growing buffer (no per-byte work: debug builds too).
    public static func read(fd: Int32, name: String, limit: Int = TextFile.limit) throws(TextFileError) -> String {
        var capacity = 1 << 16
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count > limit { throw tooLarge(name, limit) }
            if capacity - count < 1 << 16 {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 1)
                bigger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = Glibc.read(fd, buffer + count, min(capacity - count, limit + 1 - count + 1))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw TextFileError(name: name, problem: "cannot read: \(errorText(errno))") }
            if n == 0 { break }
            count += n
        }
        return String(decoding: UnsafeRawBufferPointer(start: buffer, count: count), as: UTF8.self)
    }

    static func tooLarge(_ name: String, _ limit: Int) -> TextFileError {
        TextFileError(name: name, problem: "larger than the \(limit)-byte bound for text inputs (SYMSCAN_TEXT_LIMIT raises it)")
    }

    static func errorText(_ e: Int32) -> String {
        let t = String(cString: strerror(e))
        return (t.first.map { $0.lowercased() } ?? "") + t.dropFirst()
    }
}
