#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MappedFile

/// One provider of a library (the library itself, or an AIX archive's shared member) and the
/// names it exports, each once.
struct ProviderExports: @unchecked Sendable {
    var name: String
    var symbols: [NameView]
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
                for s in p.symbols {
                    occurrences.append(Occurrence(hash: CacheHash.name(s), name: s, provider: providerCount))
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
        // Per bucket: its distinct names in first-seen order, each with its providers
        // (ascending, each once).
        var group: [Int] = []     // of each occurrence of the bucket: which distinct name
        var distinct: [Int32] = []  // first occurrence (in `byBucket`) of each distinct name
        for b in 0..<buckets {
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
            let length = UInt32(w.bytes.count - start), count = UInt32(distinct.count)
            let sum = w.bytes.withUnsafeBytes {
                CacheHash.bucketChecksum(index: b, offset: UInt64(start), length: length, count: count,
                                         bytes: UnsafeRawBufferPointer(rebasing: $0[start...]))
            }
            let at = slotsStart + b * CacheFile.slotSize
            w.patch64(at, UInt64(start))
            w.patch64(at + 8, UInt64(count) << 32 | UInt64(length))
            w.patch64(at + 16, sum)
        }
        w.patch64(16, UInt64(w.bytes.count))
        let head = w.bytes.withUnsafeBytes { CacheHash.checksum(UnsafeRawBufferPointer(rebasing: $0[32..<headEnd])) }
        w.patch64(24, head)
        return w.bytes
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
