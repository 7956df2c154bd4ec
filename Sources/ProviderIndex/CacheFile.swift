#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MappedFile

/// The on-disk cache of one library directory's exports, for one family.
///
/// Layout (integers little-endian):
/// ```
/// 0   "SYMSCANP"            magic
/// 8   u32 version           (CacheFile.version)
/// 12  u32 0                 reserved
/// 16  u64 payload length    (file size - 32)
/// 24  u64 checksum          (of the payload, see `checksum`)
/// 32  payload: string family, string directory, u32 record count, records
/// record: string path, i64 size, i64 mtime seconds, i64 mtime nanoseconds,
///         u32 provider count, providers
/// provider: string name, u32 symbol count, strings
/// string: u32 length, bytes
/// ```
/// A cache is only ever replaced whole (written to a temporary file, then renamed over the
/// old one), so a reader sees either the old or the new file, never a mix, and concurrent
/// builders cannot corrupt it. It is read like any other input, through `ByteRegion`; a file
/// that does not validate (magic, version, length, checksum, family, directory, structure) is
/// ignored and rebuilt.
struct CacheFile {
    static let magic: StaticString = "SYMSCANP"
    static let version: UInt32 = 1
    static let headerSize = 32

    let file: MappedFile
    /// The records, in file order: the library each describes, and its bytes.
    let records: [(library: LibraryFile, bytes: ByteRegion)]

    /// Opens and validates a cache; nil when it is absent or not valid for this request.
    static func open(_ path: String, family: ProviderFamily, directory: String) -> CacheFile? {
        guard let file = try? MappedFile(path: path) else { return nil }
        return try? CacheFile(file, family: family, directory: directory)
    }

    init(_ file: MappedFile, family: ProviderFamily, directory: String) throws(ParseError) {
        let r = file.region
        let head = try r.bytes(0, Self.headerSize, "provider cache header")
        guard head.hasPrefix(Self.magic) else { throw r.error("provider cache", at: 0, "bad magic") }
        guard try r.u32(8, .little, "cache version") == Self.version, try r.u32(12, .little, "cache reserved") == 0 else {
            throw r.error("provider cache", at: 8, "other version")
        }
        let length = try r.u64(16, .little, "cache payload length")
        guard length == UInt64(r.count - Self.headerSize) else {
            throw r.error("provider cache", at: 16, "payload length does not match the file size")
        }
        let payload = try r.slice(Self.headerSize, r.count - Self.headerSize, "cache payload")
        guard try r.u64(24, .little, "cache checksum") == Self.checksum(payload.rawBytes) else {
            throw r.error("provider cache", at: 24, "checksum mismatch")
        }
        var c = Cursor(region: payload)
        guard try c.string() == NameViewOf(family.description), try c.string() == NameViewOf(directory) else {
            throw r.error("provider cache", at: Self.headerSize, "made for another family or directory")
        }
        let count = Int(try c.u32())
        var records: [(LibraryFile, ByteRegion)] = []
        records.reserveCapacity(min(count, payload.count / 32))
        for _ in 0..<count {
            let start = c.offset
            let library = LibraryFile(path: try c.string().string, size: try c.i64(),
                                      mtimeSeconds: try c.i64(), mtimeNanoseconds: try c.i64())
            let providers = Int(try c.u32())
            for _ in 0..<providers {
                _ = try c.string()
                let symbols = Int(try c.u32())
                for _ in 0..<symbols { _ = try c.string() }
            }
            records.append((library, try payload.slice(start, c.offset - start, "cache record")))
        }
        guard c.offset == payload.count else { throw r.error("provider cache", at: c.offset, "bytes after the last record") }
        self.file = file
        self.records = records
    }

    /// Calls `body` with each provider of a record and each of its symbol names.
    static func forEachProvider(in record: ByteRegion, _ body: (NameView, inout Cursor) throws(ParseError) -> Void) throws(ParseError) {
        var c = Cursor(region: record)
        _ = try c.string()
        _ = try c.i64(); _ = try c.i64(); _ = try c.i64()
        let providers = Int(try c.u32())
        for _ in 0..<providers {
            let name = try c.string()
            try body(name, &c)
        }
    }

    // MARK: writing

    /// One record, encoded.
    static func encode(_ library: LibraryFile, _ providers: LibraryProviders) -> [UInt8] {
        var w = Writer()
        w.string(library.path)
        w.i64(library.size); w.i64(library.mtimeSeconds); w.i64(library.mtimeNanoseconds)
        w.u32(providers.providers.count)
        for p in providers.providers {
            w.string(p.name)
            w.u32(p.symbols.count)
            for s in p.symbols { w.string(s.bytes) }
        }
        return w.bytes
    }

    /// Writes a whole cache atomically: a temporary file beside `path`, renamed over it.
    /// Returns false when the directory cannot be created or written.
    static func write(_ path: String, family: ProviderFamily, directory: String, records: [RecordBytes]) -> Bool {
        var w = Writer()
        w.string(family.description)
        w.string(directory)
        w.u32(records.count)
        var payload = w.bytes
        for r in records { r.append(to: &payload) }
        var head = Writer()
        head.raw(UnsafeRawBufferPointer(start: magic.utf8Start, count: magic.utf8CodeUnitCount))
        head.u32(Int(version)); head.u32(0)
        head.u64(UInt64(payload.count))
        head.u64(payload.withUnsafeBytes { checksum($0) })

        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        makeDirectories(dir)
        let temp = "\(path).tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let ok = writeAll(fd, head.bytes) && writeAll(fd, payload)
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            unlink(temp)
            return false
        }
        return true
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }

    private static func makeDirectories(_ dir: String) {
        guard !dir.isEmpty else { return }
        var partial = dir.hasPrefix("/") ? "" : "."
        for component in dir.split(separator: "/", omittingEmptySubsequences: true) {
            partial += "/" + component
            mkdir(partial, 0o755)
        }
    }

    /// FNV-1a over 8-byte words (then the tail bytes), with a final mix: a corruption check,
    /// not a defence against someone forging a cache.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x100_0000_01b3
        let words = bytes.count / 8
        for i in 0..<words {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian) &* prime
            h ^= h >> 32
        }
        for i in (words * 8)..<bytes.count { h = (h ^ UInt64(bytes[i])) &* prime }
        h ^= UInt64(bytes.count)
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}

/// A record to write: freshly encoded, or the bytes of an unchanged one in the old cache.
enum RecordBytes {
    case fresh([UInt8])
    case reused(ByteRegion)

    func append(to out: inout [UInt8]) {
        switch self {
        case .fresh(let b): out += b
        case .reused(let r): out.append(contentsOf: r.rawBytes)
        }
    }
}

/// Reads the cache's little-endian fields in order, through `ByteRegion`'s checks.
struct Cursor {
    let region: ByteRegion
    var offset = 0

    mutating func u32() throws(ParseError) -> UInt32 {
        defer { offset += 4 }
        return try region.u32(offset, .little, "provider cache field")
    }

    mutating func i64() throws(ParseError) -> Int64 {
        defer { offset += 8 }
        return Int64(bitPattern: try region.u64(offset, .little, "provider cache field"))
    }

    mutating func string() throws(ParseError) -> NameView {
        let n = Int(try u32())
        let v = try region.bytes(offset, n, "provider cache string")
        offset += n
        return v
    }
}

/// Appends little-endian fields.
struct Writer {
    var bytes: [UInt8] = []

    mutating func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func raw(_ b: UnsafeRawBufferPointer) { bytes += b }

    mutating func string(_ b: UnsafeRawBufferPointer) {
        u32(b.count)
        bytes += b
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(UnsafeRawBufferPointer($0)) }
    }
}

/// Compares a `NameView` with a `String`'s bytes.
struct NameViewOf: Equatable {
    let text: String
    init(_ text: String) { self.text = text }

    static func == (v: NameView, s: NameViewOf) -> Bool {
        var t = s.text
        return t.withUTF8 { v == NameView(start: UnsafeRawPointer($0.baseAddress), count: $0.count) }
    }
    static func == (a: NameViewOf, b: NameViewOf) -> Bool { a.text == b.text }
}
