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
    /// Names per bucket the table is sized for (then rounded to a power of two).
    static let namesPerBucket = 8

    /// The whole cache file. `exports[i]` are the providers of `libraries[i]`, in order.
    static func encode(family: ProviderFamily, directory: String, libraries: [LibraryFile],
                       exports: [[ProviderExports]]) -> [UInt8] {
        // Distinct names, and (name, provider) pairs in provider order.
        var index: [NameView: Int32] = [:]
        var names: [NameView] = []
        var pairs: [(name: Int32, provider: Int32)] = []
        var lastProvider: [Int32] = []  // of each name, so a name listed twice counts once
        var providerCount: Int32 = 0
        for providers in exports {
            for p in providers {
                for s in p.symbols {
                    let n: Int32
                    if let i = index[s] { n = i } else {
                        n = Int32(names.count)
                        index[s] = n
                        names.append(s)
                        lastProvider.append(-1)
                    }
                    if lastProvider[Int(n)] == providerCount { continue }
                    lastProvider[Int(n)] = providerCount
                    pairs.append((n, providerCount))
                }
                providerCount += 1
            }
        }
        // Each name's providers, ascending (a stable counting sort of the pairs by name).
        var firstProvider = [Int](repeating: 0, count: names.count + 1)
        for p in pairs { firstProvider[Int(p.name) + 1] += 1 }
        for i in 0..<names.count { firstProvider[i + 1] += firstProvider[i] }
        var providerOf = [Int32](repeating: 0, count: pairs.count)
        var fill = firstProvider
        for p in pairs {
            providerOf[fill[Int(p.name)]] = p.provider
            fill[Int(p.name)] += 1
        }
        // Names by bucket, in first-seen order within a bucket.
        var buckets = 1
        while buckets * namesPerBucket < names.count { buckets *= 2 }
        let bucketOf = names.map { CacheHash.bucket(of: $0, bucketCount: buckets) }
        var firstName = [Int](repeating: 0, count: buckets + 1)
        for b in bucketOf { firstName[b + 1] += 1 }
        for b in 0..<buckets { firstName[b + 1] += firstName[b] }
        var byBucket = [Int](repeating: 0, count: names.count)
        var next = firstName
        for (n, b) in bucketOf.enumerated() {
            byBucket[next[b]] = n
            next[b] += 1
        }

        var w = Writer()
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
        for b in 0..<buckets {
            let start = w.bytes.count
            for k in firstName[b]..<firstName[b + 1] {
                let n = byBucket[k]
                w.string(names[n].bytes)
                w.u32(firstProvider[n + 1] - firstProvider[n])
                for j in firstProvider[n]..<firstProvider[n + 1] { w.u32(Int(providerOf[j])) }
            }
            let length = UInt32(w.bytes.count - start), count = UInt32(firstName[b + 1] - firstName[b])
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
