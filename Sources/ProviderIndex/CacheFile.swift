import MappedFile

/// The on-disk cache of one library directory's exports, for one family: which libraries it
/// describes, and a hashed table of every exported name, so that a diagnosis looks up its
/// handful of names without reading (or validating) the rest.
///
/// Layout (integers little-endian):
/// ```
/// 0   "SYMSCANP"            magic
/// 8   u32 version           (CacheFile.version)
/// 12  u32 0                 reserved
/// 16  u64 file size
/// 24  u64 head checksum     (of bytes 32 ..< head end)
/// 32  u64 head end          (where the bucket table starts)
/// 40  u32 bucket count      (a power of two)
/// 44  u32 0                 reserved
/// 48  string family, string directory
///     u32 library count, libraries: string path, i64 size, i64 mtime s, i64 mtime ns,
///                                   i64 ctime s, i64 ctime ns, u64 inode
///     u32 provider count, providers: u32 library index, string name
/// head end: bucket table, one slot per bucket: u64 offset, u32 length, u32 entry count,
///           u64 checksum (of the bucket number, the slot's other fields and the bucket's bytes)
/// then the buckets' bytes, in bucket order, without gaps, to the end of the file:
///     entry: string name, u32 provider count, u32 provider index × count (ascending)
/// string: u32 length, bytes
/// ```
/// A name is in bucket `CacheHash.bucket(of:bucketCount:)`; each name appears once per cache.
///
/// Opening a cache validates the header and the head (magic, version, reserved fields, file
/// size, head checksum, family, directory, the structure of the library and provider tables).
/// A bucket is validated when it is read (slot within the file, checksum, structure, provider
/// indices in range and ascending), so a lookup trusts nothing it has not checked; reading
/// every bucket (`validateAllBuckets`, `forEachName`) also checks that the buckets tile the
/// rest of the file and that every name sits in its own bucket. Every read goes through
/// `ByteRegion`. A cache that fails any check is rebuilt by `DirectoryCache`, never used.
///
/// A cache is only ever replaced whole (written to a temporary file, then renamed over the
/// old one), so a reader sees either the old or the new file, never a mix, and concurrent
/// builders cannot corrupt it.
struct CacheFile {
    static let magic: StaticString = "SYMSCANP"
    /// 4: ELF names defined only under a hidden (non-default, `@`) version are left out.
    static let version: UInt32 = 4
    static let headerSize = 48
    static let slotSize = 24

    let file: MappedFile
    let libraries: [CachedLibrary]
    /// Each provider's library (an index into `libraries`) and name.
    let providers: [(library: Int, name: NameView)]
    let bucketCount: Int
    /// Where the bucket table starts, and where the buckets' bytes start.
    let slotsStart: Int
    let bucketsStart: Int

    /// A library as the cache recorded it.
    struct CachedLibrary {
        var path: NameView
        var size, mtimeSeconds, mtimeNanoseconds, ctimeSeconds, ctimeNanoseconds: Int64
        var inode: UInt64

        func describes(_ f: LibraryFile) -> Bool {
            size == f.size && mtimeSeconds == f.mtimeSeconds && mtimeNanoseconds == f.mtimeNanoseconds
                && ctimeSeconds == f.ctimeSeconds && ctimeNanoseconds == f.ctimeNanoseconds && inode == f.inode
                && path == NameViewOf(f.path)
        }
    }

    /// Opens a cache and validates its head; nil when it is absent or not valid for this request.
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
        guard try r.u64(16, .little, "cache file size") == UInt64(r.count) else {
            throw r.error("provider cache", at: 16, "recorded size does not match the file size")
        }
        let headEnd = try r.u64(32, .little, "cache head end")
        guard headEnd >= UInt64(Self.headerSize), headEnd <= UInt64(r.count) else {
            throw r.error("provider cache", at: 32, "head end outside the file")
        }
        let checked = try r.slice(32, Int(headEnd) - 32, "provider cache head")
        guard try r.u64(24, .little, "cache head checksum") == CacheHash.checksum(checked.rawBytes) else {
            throw r.error("provider cache", at: 24, "head checksum mismatch")
        }
        let buckets = Int(try r.u32(40, .little, "cache bucket count"))
        guard buckets > 0, buckets & (buckets - 1) == 0, try r.u32(44, .little, "cache reserved") == 0 else {
            throw r.error("provider cache", at: 40, "bucket count is not a power of two")
        }
        let slotsStart = Int(headEnd)
        try r.checkTable(slotsStart, count: buckets, size: Self.slotSize, "provider cache bucket table")

        let headRegion = try r.slice(0, slotsStart, "provider cache head")
        var c = Cursor(region: headRegion, offset: Self.headerSize)
        guard try c.string() == NameViewOf(family.description), try c.string() == NameViewOf(directory) else {
            throw r.error("provider cache", at: Self.headerSize, "made for another family or directory")
        }
        let libraryCount = Int(try c.u32())
        // Each library takes at least 4 + 48 bytes: a count past that is damage, not a reason
        // to reserve memory.
        try headRegion.checkTable(c.offset, count: libraryCount, size: 52, "provider cache library table")
        var libraries: [CachedLibrary] = []
        libraries.reserveCapacity(libraryCount)
        for _ in 0..<libraryCount {
            libraries.append(CachedLibrary(path: try c.string(), size: try c.i64(), mtimeSeconds: try c.i64(),
                                           mtimeNanoseconds: try c.i64(), ctimeSeconds: try c.i64(),
                                           ctimeNanoseconds: try c.i64(), inode: try c.u64()))
        }
        let providerCount = Int(try c.u32())
        try headRegion.checkTable(c.offset, count: providerCount, size: 8, "provider cache provider table")
        var providers: [(library: Int, name: NameView)] = []
        providers.reserveCapacity(providerCount)
        for _ in 0..<providerCount {
            let library = Int(try c.u32())
            guard library < libraryCount, library >= (providers.last?.library ?? 0) else {
                throw r.error("provider cache", at: c.offset - 4, "provider of no library, or out of order")
            }
            providers.append((library, try c.string()))
        }
        guard c.offset == slotsStart else { throw r.error("provider cache", at: c.offset, "bytes after the provider table") }
        self.file = file
        self.libraries = libraries
        self.providers = providers
        self.bucketCount = buckets
        self.slotsStart = slotsStart
        self.bucketsStart = slotsStart + buckets * Self.slotSize
    }

    /// True when the cache describes exactly `files` (same paths, in the same order, each of
    /// the same size, modification and change times, and inode).
    func isCurrent(for files: [LibraryFile]) -> Bool {
        guard files.count == libraries.count else { return false }
        for (f, l) in zip(files, libraries) where !l.describes(f) { return false }
        return true
    }

    // MARK: the name table

    /// The cache's own view of `name` and its providers (indices into `providers`, ascending);
    /// nil when no library of the directory exports it. Throws when the bucket it would be in
    /// does not validate.
    func lookup(_ name: NameView) throws(ParseError) -> (name: NameView, providers: [Int32])? {
        let b = CacheHash.bucket(of: name, bucketCount: bucketCount)
        var found: (NameView, [Int32])?
        try forEachEntry(inBucket: b) { (entry, ids) throws(ParseError) in
            if entry == name { found = (entry, ids) }
        }
        return found
    }

    /// Validates every bucket, and that together they tile the file after the bucket table.
    func validateAllBuckets() throws(ParseError) {
        try forEachName { _, _ in }
    }

    /// Calls `body` with every name of the cache and its providers, after validating each
    /// bucket (and that each name is in its own bucket, and that the buckets tile the file).
    func forEachName(_ body: (NameView, [Int32]) -> Void) throws(ParseError) {
        var expected = bucketsStart
        for b in 0..<bucketCount {
            let (offset, length) = try slot(b)
            guard offset == expected else {
                throw file.region.error("provider cache bucket", at: slotsStart + b * Self.slotSize, "buckets do not tile the file")
            }
            expected += length
            try forEachEntry(inBucket: b) { (name, ids) throws(ParseError) in
                guard CacheHash.bucket(of: name, bucketCount: bucketCount) == b else {
                    throw file.region.error("provider cache bucket", at: offset, "a name in another name's bucket")
                }
                body(name, ids)
            }
        }
        guard expected == file.size else {
            throw file.region.error("provider cache", at: expected, "bytes after the last bucket")
        }
    }

    /// A bucket's offset and length, as its slot records them (not yet validated).
    private func slot(_ b: Int) throws(ParseError) -> (offset: Int, length: Int) {
        let r = file.region, at = slotsStart + b * Self.slotSize
        let offset = try r.u64(at, .little, "provider cache bucket offset")
        let length = try r.u32(at + 8, .little, "provider cache bucket length")
        guard offset <= UInt64(r.count) else { throw r.error("provider cache bucket", at: at, "offset outside the file") }
        return (Int(offset), Int(length))
    }

    /// Validates bucket `b` (its slot, its bytes against the checksum, its structure) and then
    /// calls `body` with each of its entries.
    private func forEachEntry(inBucket b: Int, _ body: (NameView, [Int32]) throws(ParseError) -> Void) throws(ParseError) {
        let r = file.region, at = slotsStart + b * Self.slotSize
        let (offset, length) = try slot(b)
        let count = try r.u32(at + 12, .little, "provider cache bucket entry count")
        let stored = try r.u64(at + 16, .little, "provider cache bucket checksum")
        guard offset >= bucketsStart else { throw r.error("provider cache bucket", at: at, "bucket inside the head") }
        let bytes = try r.slice(offset, length, "provider cache bucket")
        guard stored == CacheHash.bucketChecksum(index: b, offset: UInt64(offset), length: UInt32(length), count: count,
                                                 bytes: bytes.rawBytes) else {
            throw r.error("provider cache bucket", at: offset, "checksum mismatch")
        }
        // Each entry takes at least 8 bytes.
        try bytes.checkTable(0, count: Int(count), size: 8, "provider cache bucket entries")
        // Two passes: the first checks the structure, the second hands out the entries, so
        // that `body` only sees a bucket that validated whole.
        var ids: [Int32] = []
        for handOut in [false, true] {
            var c = Cursor(region: bytes)
            for _ in 0..<count {
                let name = try c.string()
                let n = Int(try c.u32())
                try bytes.checkTable(c.offset, count: n, size: 4, "provider cache provider list")
                guard n > 0 else { throw r.error("provider cache bucket", at: offset + c.offset, "a name without providers") }
                ids.removeAll(keepingCapacity: true)
                var previous: Int64 = -1
                for _ in 0..<n {
                    let id = try c.u32()
                    guard id < UInt32(providers.count), Int64(id) > previous else {
                        throw r.error("provider cache bucket", at: offset + c.offset - 4, "provider index out of range or out of order")
                    }
                    previous = Int64(id)
                    ids.append(Int32(id))
                }
                if handOut { try body(name, ids) }
            }
            guard c.offset == length else { throw r.error("provider cache bucket", at: offset + c.offset, "bytes after the last entry") }
        }
    }
}
