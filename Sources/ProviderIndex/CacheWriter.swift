#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ImageLoader
import MappedFile

/// One provider of a library (the library itself, or an AIX archive's shared member) and the
/// names it exports, each once.
struct ProviderExports: @unchecked Sendable {
    var name: String
    var symbols: [NameView]
    /// `CacheHash.name` of each symbol, when worked out already (by the parallel readers).
    var hashes: [UInt64]? = nil
}

/// Encodes a directory's libraries and their exports in the layout `CacheFile` reads, and
/// writes it atomically.
enum CacheWriter {
    /// Name occurrences (a name of one provider) per bucket the table is sized for, rounded
    /// to a power of two; names exported by several providers make fewer distinct names.
    static let occurrencesPerBucket = 16

    /// A name exported by one provider.
    private struct Occurrence {
        var hash: UInt64
        var name: NameView
        var provider: Int32
    }

    /// The whole cache file. `exports[i]` are the providers of `libraries[i]`, in order.
    static func encode(family: ProviderFamily, directory: String, libraries: [LibraryFile],
                       exports: [[ProviderExports]]) -> [UInt8] {
        // Every occurrence of a name, in provider order, with its hash.
        let total = exports.reduce(0) { $0 + $1.reduce(0) { $0 + $1.symbols.count } }
        var occurrences: [Occurrence] = []
        occurrences.reserveCapacity(total)
        var providerCount: Int32 = 0
        var nameBytes = 0
        for providers in exports {
            for p in providers {
                for (i, s) in p.symbols.enumerated() {
                    let hash = p.hashes.map { $0[i] } ?? CacheHash.name(s)
                    occurrences.append(Occurrence(hash: hash, name: s, provider: providerCount))
                    nameBytes += s.count
                }
                providerCount += 1
            }
        }
        // The same, by bucket, in provider order within a bucket (a stable counting sort), so
        // that each bucket is then read in one sweep.
        var buckets = 1
        while buckets * occurrencesPerBucket < total { buckets *= 2 }
        var first = [Int](repeating: 0, count: buckets + 1)
        for o in occurrences { first[CacheHash.bucket(hash: o.hash, bucketCount: buckets) + 1] += 1 }
        for b in 0..<buckets { first[b + 1] += first[b] }
        var byBucket = [Occurrence](repeating: Occurrence(hash: 0, name: .empty, provider: 0), count: total)
        var fill = first
        for o in occurrences {
            let b = CacheHash.bucket(hash: o.hash, bucketCount: buckets)
            byBucket[fill[b]] = o
            fill[b] += 1
        }
        occurrences = []

        var w = Writer()
        w.bytes.reserveCapacity(CacheFile.headerSize + 4096 + libraries.count * 200 + Int(providerCount) * 200
                                + buckets * CacheFile.slotSize + nameBytes + 12 * total)
        w.raw(UnsafeRawBufferPointer(start: CacheFile.magic.utf8Start, count: CacheFile.magic.utf8CodeUnitCount))
        w.u32(Int(CacheFile.version)); w.u32(0)
        w.u64(0)  // file size, patched below
        w.u64(0)  // head checksum, patched below
        w.u64(0)  // head end, patched below
        w.u32(buckets); w.u32(0)
        w.string(family.description)
        w.string(directory)
        w.u32(libraries.count)
        for l in libraries {
            w.string(l.path)
            w.i64(l.size); w.i64(l.mtimeSeconds); w.i64(l.mtimeNanoseconds)
            w.i64(l.ctimeSeconds); w.i64(l.ctimeNanoseconds); w.u64(l.inode)
        }
        w.u32(Int(providerCount))
        for (i, providers) in exports.enumerated() {
            for p in providers {
                w.u32(i)
                w.string(p.name)
            }
        }
        let headEnd = w.bytes.count
        w.patch64(32, UInt64(headEnd))
        let slotsStart = headEnd
        w.bytes += [UInt8](repeating: 0, count: buckets * CacheFile.slotSize)
        // The buckets, encoded in chunks on all cores, then laid out one after the other; the
        // checksums (which cover each bucket's place in the file) once the places are known.
        let chunkCount = min(buckets, 64), perChunk = buckets / chunkCount
        let chunks = Parallel.map(chunkCount) { c in
            encodeBuckets(c * perChunk..<(c + 1) * perChunk, first: first, byBucket: byBucket)
        }
        var chunkStart: [Int] = []
        for chunk in chunks {
            chunkStart.append(w.bytes.count)
            w.bytes += chunk.bytes
        }
        let sums = Parallel.map(chunkCount) { c in
            chunks[c].bytes.withUnsafeBytes { raw in
                chunks[c].buckets.enumerated().map { (k, bucket) in
                    CacheHash.bucketChecksum(index: c * perChunk + k, offset: UInt64(chunkStart[c] + bucket.start),
                                             length: bucket.length, count: bucket.count,
                                             bytes: UnsafeRawBufferPointer(rebasing: raw[bucket.start..<bucket.start + Int(bucket.length)]))
                }
            }
        }
        for c in 0..<chunkCount {
            for (k, bucket) in chunks[c].buckets.enumerated() {
                let at = slotsStart + (c * perChunk + k) * CacheFile.slotSize
                w.patch64(at, UInt64(chunkStart[c] + bucket.start))
                w.patch64(at + 8, UInt64(bucket.count) << 32 | UInt64(bucket.length))
                w.patch64(at + 16, sums[c][k])
            }
        }
        w.patch64(16, UInt64(w.bytes.count))
        let head = w.bytes.withUnsafeBytes { CacheHash.checksum(UnsafeRawBufferPointer(rebasing: $0[32..<headEnd])) }
        w.patch64(24, head)
        return w.bytes
    }

    /// Encoded buckets: their bytes, and where each starts in them, its length and name count.
    private struct Chunk {
        var bytes: [UInt8]
        var buckets: [(start: Int, length: UInt32, count: UInt32)]
    }

    /// Encodes `buckets`: in each, its distinct names in first-seen order, each with its
    /// providers (ascending, each once). `byBucket[first[b]..<first[b + 1]]` are bucket `b`'s
    /// occurrences, in provider order.
    private static func encodeBuckets(_ buckets: Range<Int>, first: [Int], byBucket: [Occurrence]) -> Chunk {
        var w = Writer()
        let occurrences = first[buckets.upperBound] - first[buckets.lowerBound]
        var nameBytes = 0
        for k in first[buckets.lowerBound]..<first[buckets.upperBound] { nameBytes += byBucket[k].name.count }
        w.bytes.reserveCapacity(nameBytes + 12 * occurrences)
        var slots: [(start: Int, length: UInt32, count: UInt32)] = []
        slots.reserveCapacity(buckets.count)
        var group: [Int] = []       // of each occurrence of the bucket: which distinct name
        var distinct: [Int32] = []  // first occurrence (in `byBucket`) of each distinct name
        for b in buckets {
            let start = w.bytes.count
            let range = first[b]..<first[b + 1]
            group.removeAll(keepingCapacity: true)
            distinct.removeAll(keepingCapacity: true)
            for k in range {
                let o = byBucket[k]
                var g = 0
                while g < distinct.count {
                    let d = byBucket[Int(distinct[g])]
                    if d.hash == o.hash && d.name == o.name { break }
                    g += 1
                }
                if g == distinct.count { distinct.append(Int32(k)) }
                group.append(g)
            }
            for (g, d) in distinct.enumerated() {
                w.string(byBucket[Int(d)].name.bytes)
                let countAt = w.bytes.count
                w.u32(0)  // provider count, patched below
                var count = 0
                var last: Int32 = -1
                for (j, k) in range.enumerated() where group[j] == g {
                    let p = byBucket[k].provider
                    if p == last { continue }  // a provider that lists a name twice
                    w.u32(Int(p))
                    last = p
                    count += 1
                }
                w.patch32(countAt, UInt32(count))
            }
            slots.append((start, UInt32(w.bytes.count - start), UInt32(distinct.count)))
        }
        return Chunk(bytes: w.bytes, buckets: slots)
    }

    /// Writes a whole cache atomically: a temporary file beside `path`, renamed over it.
    /// Returns false when the directory cannot be created or written.
    static func write(_ path: String, _ bytes: [UInt8]) -> Bool {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        makeDirectories(dir)
        let temp = "\(path).tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let ok = writeAll(fd, bytes)
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
}
