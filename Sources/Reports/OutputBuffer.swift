#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MappedFile

/// One buffered writer for all output: bytes are appended to a buffer and written to the file
/// descriptor in large chunks, instead of one `print` per line.
public final class OutputBuffer {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let limit: Int
    /// The errno of the first write that failed (0 while every write succeeded): a report file
    /// written through this buffer must not be renamed into place when it is not whole.
    public private(set) var writeError: Int32 = 0

    public init(fd: Int32 = 1, flushAt limit: Int = 1 << 16) {
        self.fd = fd
        self.limit = limit
        buffer.reserveCapacity(limit + 4096)
    }

    deinit { flush() }

    @inline(__always)
    public func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= limit { flush() }
    }

    @inline(__always)
    public func write(_ s: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        if buffer.count >= limit { flush() }
    }

    @inline(__always)
    public func write(_ v: NameView) {
        buffer.append(contentsOf: v.bytes)
        if buffer.count >= limit { flush() }
    }

    @inline(__always)
    public func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Fixed-width lower-case hex, zero padded (nm's value column).
    public func writeHex(_ v: UInt64, width: Int) {
        let digits: StaticString = "0123456789abcdef"
        var tmp: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &tmp) { raw in
            var n = v
            var i = width
            while i > 0 {
                i -= 1
                raw[i] = digits.utf8Start[Int(n & 0xF)]
                n >>= 4
            }
            buffer.append(contentsOf: raw[0..<width])
        }
    }

    public func writeDecimal<T: BinaryInteger>(_ v: T) {
        write(String(v))
    }

    /// Writes the buffer out, retrying short writes; a closed pipe ends output quietly.
    public func flush() {
        var done = 0
        buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    if writeError == 0 { writeError = errno }
                    return
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
