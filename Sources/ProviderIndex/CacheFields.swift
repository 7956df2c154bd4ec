import MappedFile

/// Reads the cache's little-endian fields in order, through `ByteRegion`'s checks.
struct Cursor {
    let region: ByteRegion
    var offset = 0

    init(region: ByteRegion, offset: Int = 0) {
        self.region = region
        self.offset = offset
    }

    mutating func u32() throws(ParseError) -> UInt32 {
        defer { offset += 4 }
        return try region.u32(offset, .little, "provider cache field")
    }

    mutating func u64() throws(ParseError) -> UInt64 {
        defer { offset += 8 }
        return try region.u64(offset, .little, "provider cache field")
    }

    mutating func i64() throws(ParseError) -> Int64 {
        Int64(bitPattern: try u64())
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

    /// Overwrites 8 bytes at `offset` (a field whose value is known only later).
    mutating func patch64(_ offset: Int, _ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { for i in 0..<8 { bytes[offset + i] = $0[i] } }
    }

    mutating func patch32(_ offset: Int, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { for i in 0..<4 { bytes[offset + i] = $0[i] } }
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

/// The two hash functions of the cache format. Both are part of the format: changing either
/// means a new `CacheFile.version`.
enum CacheHash {
    /// FNV-1a over 8-byte words (then the tail bytes), with a final mix: a corruption check,
    /// not a defence against someone forging a cache. `seed` chains calls over several pieces.
    static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        let prime: UInt64 = 0x100_0000_01b3
        let words = bytes.count / 8
        for i in 0..<words {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian) &* prime
            h ^= h >> 32
        }
        for i in (words * 8)..<bytes.count { h = (h ^ UInt64(bytes[i])) &* prime }
        h ^= UInt64(bytes.count)
        return mix(h)
    }

    /// A name's hash: `checksum` of its bytes.
    static func name(_ name: NameView) -> UInt64 { checksum(name.bytes) }

    /// Which bucket of the name table a name is in: the low bits of its hash (`bucketCount` is
    /// a power of two).
    static func bucket(of name: NameView, bucketCount: Int) -> Int {
        bucket(hash: self.name(name), bucketCount: bucketCount)
    }

    static func bucket(hash: UInt64, bucketCount: Int) -> Int {
        Int(truncatingIfNeeded: hash & UInt64(bucketCount - 1))
    }

    /// The checksum of one bucket: its slot's fields (so a slot pointing elsewhere fails) and
    /// its bytes.
    static func bucketChecksum(index: Int, offset: UInt64, length: UInt32, count: UInt32, bytes: UnsafeRawBufferPointer) -> UInt64 {
        var slot = (UInt64(index).littleEndian, offset.littleEndian, (UInt64(length) << 32 | UInt64(count)).littleEndian)
        let seed = withUnsafeBytes(of: &slot) { checksum($0) }
        return checksum(bytes, seed: seed)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
