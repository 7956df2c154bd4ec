#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MappedFile

/// One buffered writer for all output: bytes are copied into a fixed buffer and written to the
/// file descriptor in large chunks, instead of one `print` per line.
///
/// Listing a symbol table makes a dozen small writes per symbol, so the buffer is plain
/// `malloc`ed memory with an unchecked fill count: a `[UInt8]` stored property of a class costs
/// a dynamic exclusivity check (`swift_beginAccess`/`swift_endAccess`) and a uniqueness check
/// on every append, which was a tenth of the time of `symscan symbols` on a large table.
///
/// A buffer made with `init(collecting:)` writes nothing: it grows and keeps what it is given,
/// so that workers can render files in parallel and the results be written out in order.
/// Not thread-safe: one writer per thread (or per output stream).
public final class OutputBuffer {
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var capacity: Int
    /// -1 for a collecting buffer.
    private let fd: Int32
    /// The errno of the first write that failed (0 while every write succeeded): a report file
    /// written through this buffer must not be renamed into place when it is not whole.
    public private(set) var writeError: Int32 = 0

    /// `limit` is the buffer size: the bytes are written out when it is full.
    public init(fd: Int32 = 1, flushAt limit: Int = 1 << 16) {
        self.fd = fd
        self.capacity = max(limit, 64)
        self.storage = .allocate(capacity: capacity)
    }

    /// A buffer that keeps everything written to it in memory (see `collected`).
    public init(collecting initialCapacity: Int) {
        self.fd = -1
        self.capacity = max(initialCapacity, 64)
        self.storage = .allocate(capacity: capacity)
    }

    deinit {
        flush()
        storage.deallocate()
    }

    /// The bytes of a collecting buffer (valid until it is written to again).
    public var collected: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage, count: count)
    }

    /// Appends what another (collecting) buffer holds, without its first `skip` bytes.
    public func write(contentsOf other: OutputBuffer, droppingFirst skip: Int = 0) {
        let skip = min(max(skip, 0), other.count)
        append(other.storage + skip, other.count - skip)
    }

    /// Empties a collecting buffer, keeping its memory for what is written next.
    public func removeAll() {
        precondition(fd < 0, "removeAll is for collecting buffers")
        count = 0
    }

    /// Bytes written so far and not yet flushed (for a collecting buffer: all of them).
    public var pendingCount: Int { count }

    /// Makes room for `n` more bytes: flushes, or for a collecting buffer, grows.
    @inline(__always)
    private func makeRoom(_ n: Int) {
        guard n > capacity - count else { return }
        if fd < 0 {
            let newCapacity = max(capacity * 2, count + n)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: storage, count: count)
            storage.deallocate()
            storage = bigger
            capacity = newCapacity
        } else {
            flush()
        }
    }

    /// Copies `n` bytes; a piece larger than the whole buffer is written straight through.
    @inline(__always)
    private func append(_ p: UnsafeRawPointer?, _ n: Int) {
        guard n > 0, let p else { return }
        if n > capacity - count {
            makeRoom(n)
            if n > capacity - count {
                writeAll(p, n)
                return
            }
        }
        (storage + count).update(from: p.assumingMemoryBound(to: UInt8.self), count: n)
        count += n
    }

    @inline(__always)
    public func write(_ s: String) {
        var s = s
        s.withUTF8 { append($0.baseAddress, $0.count) }
    }

    @inline(__always)
    public func write(_ s: StaticString) {
        append(s.utf8Start, s.utf8CodeUnitCount)
    }

    @inline(__always)
    public func write(_ v: NameView) {
        append(v.start, v.count)
    }

    @inline(__always)
    public func write(byte: UInt8) {
        if count == capacity { makeRoom(1) }
        storage[count] = byte
        count += 1
    }

    /// `n` spaces (nm's blank value column of an undefined symbol).
    @inline(__always)
    public func writeSpaces(_ n: Int) {
        if capacity - count < n { makeRoom(n) }
        (storage + count).initialize(repeating: UInt8(ascii: " "), count: n)
        count += n
    }

    /// Fixed-width lower-case hex, zero padded (nm's value column); `width` is at most 16.
    public func writeHex(_ v: UInt64, width: Int) {
        let width = min(width, 16)
        if capacity - count < width { makeRoom(width) }
        let digits: StaticString = "0123456789abcdef"
        var n = v
        var i = width
        while i > 0 {
            i -= 1
            storage[count + i] = digits.utf8Start[Int(n & 0xF)]
            n >>= 4
        }
        count += width
    }

    /// Decimal digits of `v`, with a `-` for negative values; no `String` is made.
    public func writeDecimal<T: BinaryInteger>(_ v: T) {
        if v < 0 {
            write(byte: UInt8(ascii: "-"))
            // The magnitude of the most negative value does not fit in T; UInt64 holds it.
            writeUnsigned(UInt64(0) &- UInt64(truncatingIfNeeded: Int64(v)))
        } else {
            writeUnsigned(UInt64(v))
        }
    }

    private func writeUnsigned(_ v: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var n = v
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n != 0
            append(raw.baseAddress! + i, raw.count - i)
        }
    }

    /// Writes the buffer out, retrying short writes; a closed pipe ends output quietly.
    public func flush() {
        guard fd >= 0 else { return }
        writeAll(storage, count)
        count = 0
    }

    private func writeAll(_ p: UnsafeRawPointer, _ n: Int) {
        var done = 0
        while done < n {
            let k = Glibc.write(fd, p + done, n - done)
            if k < 0 {
                if errno == EINTR { continue }
                if writeError == 0 { writeError = errno }
                return
            }
            done += k
        }
    }
}
