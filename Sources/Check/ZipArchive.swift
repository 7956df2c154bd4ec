import CZlib
import ImageLoader
import MappedFile
import Synchronization

/// One file of a zip archive, from the central directory.
public struct ZipEntry: Sendable {
    public var name: String
    /// 0 stored, 8 deflated; others are reported as unsupported.
    public var method: UInt16
    public var flags: UInt16
    public var crc: UInt32
    public var compressedSize: Int
    public var size: Int
    public var localHeaderOffset: Int
    /// Where the entry's bytes must end: the next entry's local header, or the central directory.
    var end = 0

    public var isDirectory: Bool { name.hasSuffix("/") }
}

/// A zip archive (a wheel) read from its central directory over the file's mapping. Members
/// are read on demand: stored ones as a sub-region of the mapping (no copy), deflated ones
/// inflated with zlib into an in-memory file. Nothing is extracted to disk. What is inflated is
/// bounded (`ZipLimits`): per member, per wheel, by ratio, and by entry count.
public final class ZipArchive: Sendable {
    public let file: MappedFile
    public let entries: [ZipEntry]
    public let limits: ZipLimits
    /// Bytes inflated (or about to be) from this wheel so far, by all threads.
    private let inflated = Mutex(0)

    public convenience init(path: String, limits: ZipLimits = .standard) throws {
        try self.init(file: try MappedFile(path: path), limits: limits)
    }

    /// A zip already in memory or mapped (the fuzzer's entry).
    public init(file: MappedFile, limits: ZipLimits = .standard) throws {
        self.file = file
        self.limits = limits
        self.entries = try Self.readCentralDirectory(file.region, limits: limits)
    }

    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50

    /// Finds the end-of-central-directory record (searching back over a comment of up to
    /// 65535 bytes), follows the ZIP64 locator when the 32-bit fields are saturated, and reads
    /// every central directory entry.
    static func readCentralDirectory(_ r: ByteRegion, limits: ZipLimits = .standard) throws(ParseError) -> [ZipEntry] {
        guard r.count >= 22 else { throw r.error("zip end of central directory", at: 0, "file of \(r.count) bytes is too small to be a zip archive") }
        var eocd = -1
        var at = r.count - 22
        let lowest = max(0, r.count - 22 - 65535)
        while at >= lowest {
            if try r.u32(at, .little, "zip end record") == endSignature {
                let commentLength = Int(try r.u16(at + 20, .little, "zip comment length"))
                if at + 22 + commentLength == r.count { eocd = at; break }
            }
            at -= 1
        }
        guard eocd >= 0 else { throw r.error("zip end of central directory", at: r.count, "not found: not a zip archive") }
        var count = Int(try r.u16(eocd + 10, .little, "zip entry count"))
        var cdSize = Int(try r.u32(eocd + 12, .little, "zip central directory size"))
        var cdOffset = Int(try r.u32(eocd + 16, .little, "zip central directory offset"))
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, try r.u32(locator, .little, "zip64 locator") == zip64LocatorSignature else {
                throw r.error("zip64 end of central directory locator", at: max(0, locator), "missing, but the end record's fields are saturated")
            }
            let z = try int(r.u64(locator + 8, .little, "zip64 end record offset"), r, locator + 8, "zip64 end record offset")
            guard try r.u32(z, .little, "zip64 end record") == zip64EndSignature else {
                throw r.error("zip64 end of central directory", at: z, "bad signature")
            }
            count = try int(r.u64(z + 32, .little, "zip64 entry count"), r, z + 32, "zip64 entry count")
            cdSize = try int(r.u64(z + 40, .little, "zip64 central directory size"), r, z + 40, "zip64 central directory size")
            cdOffset = try int(r.u64(z + 48, .little, "zip64 central directory offset"), r, z + 48, "zip64 central directory offset")
        }
        let cd = try r.slice(cdOffset, cdSize, "zip central directory")
        // 46 bytes is the smallest entry: a count beyond what fits is corrupt, not a loop bound.
        guard count <= cdSize / 46 else {
            throw r.error("zip central directory", at: cdOffset, "\(count) entries cannot fit in \(cdSize) bytes")
        }
        guard count <= limits.entries else {
            throw r.error("zip central directory", at: cdOffset, "\(count) entries, more than the bound of \(limits.entries) (--wheel-limits entries=)")
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(count)
        var p = 0
        for i in 0..<count {
            let what = "zip central directory entry \(i)"
            guard try cd.u32(p, .little, what) == centralSignature else {
                throw cd.error(what, at: p, "bad signature")
            }
            let flags = try cd.u16(p + 8, .little, what)
            let method = try cd.u16(p + 10, .little, what)
            let crc = try cd.u32(p + 16, .little, what)
            var csize = Int(try cd.u32(p + 20, .little, what))
            var usize = Int(try cd.u32(p + 24, .little, what))
            let nameLength = Int(try cd.u16(p + 28, .little, what))
            let extraLength = Int(try cd.u16(p + 30, .little, what))
            let commentLength = Int(try cd.u16(p + 32, .little, what))
            var offset = Int(try cd.u32(p + 42, .little, what))
            let name = try cd.bytes(p + 46, nameLength, "\(what) name").string
            // ZIP64 extra field (id 1): the saturated values, in the order usize, csize, offset.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            try cd.check(e, extraLength, "\(what) extra field")
            while e + 4 <= extraEnd {
                let id = try cd.u16(e, .little, "zip extra field id")
                let length = Int(try cd.u16(e + 2, .little, "zip extra field size"))
                try cd.check(e + 4, length, "zip extra field")
                if id == 1 {
                    var q = e + 4
                    if usize == 0xFFFF_FFFF { usize = try int(cd.u64(q, .little, "zip64 size"), cd, q, "zip64 size"); q += 8 }
                    if csize == 0xFFFF_FFFF { csize = try int(cd.u64(q, .little, "zip64 compressed size"), cd, q, "zip64 compressed size"); q += 8 }
                    if offset == 0xFFFF_FFFF { offset = try int(cd.u64(q, .little, "zip64 offset"), cd, q, "zip64 offset") }
                }
                e += 4 + length
            }
            entries.append(ZipEntry(name: name, method: method, flags: flags, crc: crc,
                                    compressedSize: csize, size: usize, localHeaderOffset: offset))
            p = extraEnd + commentLength
        }
        try checkLayout(&entries, cdOffset: cdOffset, r)
        return entries
    }

    /// Members lie one after the other, in directory order, before the central directory, each
    /// at least a local header plus its compressed size long. Entries that overlap (a thousand
    /// entries pointing at one stream inflate it a thousand times) or come out of order are
    /// refused; each entry's `end` is where the next one starts.
    static func checkLayout(_ entries: inout [ZipEntry], cdOffset: Int, _ r: ByteRegion) throws(ParseError) {
        var previousEnd = 0
        for i in entries.indices {
            let e = entries[i]
            guard e.localHeaderOffset >= previousEnd else {
                throw r.error("zip central directory entry \(i)", at: e.localHeaderOffset,
                              "\(e.name) starts inside the previous member (entries overlap or are out of order)")
            }
            guard e.compressedSize <= cdOffset, e.localHeaderOffset <= cdOffset - 30 - e.compressedSize else {
                throw r.error("zip central directory entry \(i)", at: e.localHeaderOffset,
                              "\(e.name): \(e.compressedSize) bytes do not fit before the central directory at \(cdOffset)")
            }
            previousEnd = e.localHeaderOffset + 30 + e.compressedSize
            if i > 0 { entries[i - 1].end = e.localHeaderOffset }
            entries[i].end = cdOffset
        }
    }

    private static func int(_ v: UInt64, _ r: ByteRegion, _ at: Int, _ what: String) throws(ParseError) -> Int {
        guard v <= UInt64(Int.max) else { throw r.error(what, at: at, "value \(v) is impossible") }
        return Int(v)
    }

    /// The compressed bytes of an entry, after its local header.
    func data(_ e: ZipEntry) throws(ParseError) -> ByteRegion {
        let r = file.region
        let what = "zip local header of \(e.name)"
        guard try r.u32(e.localHeaderOffset, .little, what) == Self.localSignature else {
            throw r.error(what, at: e.localHeaderOffset, "bad signature")
        }
        let nameLength = Int(try r.u16(e.localHeaderOffset + 26, .little, what))
        let extraLength = Int(try r.u16(e.localHeaderOffset + 28, .little, what))
        let start = e.localHeaderOffset + 30 + nameLength + extraLength
        guard start <= e.end, e.compressedSize <= e.end - start else {
            throw r.error(what, at: e.localHeaderOffset, "data runs into the next member")
        }
        return try r.slice(start, e.compressedSize, "zip data of \(e.name)")
    }

    /// The uncompressed contents of an entry: a region of the archive's mapping when stored,
    /// an in-memory file when deflated. The CRC-32 is checked either way. With `sniffing`, a
    /// deflated member that does not start like an object is given back as its first bytes
    /// only (the loader then says what it is), and the rest is never inflated.
    public func contents(_ e: ZipEntry, sniffing: Bool = false) throws -> ByteRegion {
        if e.flags & 1 != 0 { throw ZipError("\(e.name): encrypted zip entries are not supported") }
        let compressed = try data(e)
        switch e.method {
        case 0:
            guard e.compressedSize == e.size else { throw ZipError("\(e.name): stored entry with different sizes") }
            try checkCRC(e, compressed.rawBytes)
            return compressed
        case 8:
            let name = e.name
            if let why = limits.refusal(size: e.size, compressed: e.compressedSize) { throw ZipError("\(name): \(why)") }
            if sniffing, let head = try sniff(compressed, size: e.size, name: name) { return head }
            let total = inflated.withLock { t in
                t += e.size
                return t
            }
            guard total <= limits.wheelBytes else {
                throw ZipError("\(name): the wheel's members inflate to more than the \(limits.wheelBytes)-byte bound (--wheel-limits wheel=)")
            }
            let memory = try MappedFile.inMemory(size: e.size, name: "symscan-zip") { (out) throws(InMemoryFileError) in
                try Self.inflate(compressed.rawBytes, into: out, name: name)
            }
            let region = memory.region
            try checkCRC(e, region.rawBytes)
            return region
        default:
            throw ZipError("\(e.name): zip compression method \(e.method) is not supported (only stored and deflated)")
        }
    }

    /// Inflates the first bytes only: a member that does not start like an object, archive or
    /// shared object is given back as those bytes (the loader says what it is), and the rest is
    /// never inflated. Nil when it is one (or too small to bother).
    private func sniff(_ compressed: ByteRegion, size: Int, name: String) throws -> ByteRegion? {
        let headSize = 64
        guard size > headSize else { return nil }
        let head = try MappedFile.inMemory(size: headSize, name: "symscan-zip-head") { (out) throws(InMemoryFileError) in
            try Self.inflate(compressed.rawBytes, into: out, name: name, prefixOnly: true)
        }
        switch try FileKind.sniff(head.region) {
        case .unknown, .empty: return head.region
        default: return nil
        }
    }

    private func checkCRC(_ e: ZipEntry, _ bytes: UnsafeRawBufferPointer) throws {
        let crc = bytes.isEmpty ? 0 : UInt32(crc32_z(0, bytes.baseAddress!.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
        if crc != e.crc { throw ZipError("\(e.name): CRC-32 mismatch (the wheel is damaged)") }
    }

    /// Raw deflate into a buffer of exactly the size the central directory promised: a stream
    /// that ends early or wants more room is an error, not a bigger allocation.
    /// With `prefixOnly`, stops once `output` is full (the stream goes on).
    static func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, name: String,
                        prefixOnly: Bool = false) throws(InMemoryFileError) {
        var s = z_stream()
        guard symscan_inflate_init_raw(&s) == Z_OK else { throw InMemoryFileError(description: "\(name): zlib cannot start") }
        defer { inflateEnd(&s) }
        var inDone = 0, outDone = 0
        let chunk = 1 << 30
        var scratch: UInt8 = 0
        while true {
            let inN = min(chunk, input.count - inDone)
            let outN = min(chunk, output.count - outDone)
            s.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { ($0 + inDone).assumingMemoryBound(to: Bytef.self) })
            s.avail_in = uInt(inN)
            let rc: Int32 = withUnsafeMutablePointer(to: &scratch) { scratchPointer in
                // An empty output still needs a pointer; one scratch byte detects overlong streams.
                s.next_out = outN > 0 ? (output.baseAddress! + outDone).assumingMemoryBound(to: Bytef.self) : scratchPointer
                s.avail_out = uInt(outN > 0 ? outN : 1)
                return CZlib.inflate(&s, Z_NO_FLUSH)
            }
            let usedIn = inN - Int(s.avail_in)
            let produced = (outN > 0 ? outN : 1) - Int(s.avail_out)
            if outN == 0 && produced > 0 {
                throw InMemoryFileError(description: "\(name): inflates to more than the \(output.count) bytes the zip directory says")
            }
            inDone += usedIn
            outDone += outN > 0 ? produced : 0
            if prefixOnly && outDone == output.count { return }
            if rc == Z_STREAM_END {
                guard outDone == output.count else {
                    throw InMemoryFileError(description: "\(name): inflates to \(outDone) bytes, the zip directory says \(output.count)")
                }
                return
            }
            if rc == Z_BUF_ERROR && usedIn == 0 && produced == 0 {
                throw InMemoryFileError(description: "\(name): the deflate stream is truncated")
            }
            guard rc == Z_OK || rc == Z_BUF_ERROR else {
                let msg = s.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw InMemoryFileError(description: "\(name): bad deflate data: \(msg)")
            }
        }
    }
}

public struct ZipError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
