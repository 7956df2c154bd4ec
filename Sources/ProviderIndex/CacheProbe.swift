import MappedFile

/// The provider cache reader over any bytes, for the fuzzer (Fuzz/fuzz-provider-cache): the
/// cache is untrusted input too (another user's `$XDG_CACHE_HOME`, a file cut while written).
/// The head checksum is recomputed first, so that mutations reach the tables behind it instead
/// of all failing the checksum; the family and directory are the ones the head names.
public enum CacheProbe {
    /// Reads the head and every bucket, looks up each provider name; returns a count that
    /// depends on what was read.
    public static func exercise(_ bytes: [UInt8]) -> Int {
        var b = bytes
        if b.count >= 40 {
            let headEnd = b[32..<40].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if headEnd >= 40, headEnd <= UInt64(b.count) {
                let sum = b.withUnsafeBytes { CacheHash.checksum(UnsafeRawBufferPointer(rebasing: $0[32..<Int(headEnd)])) }
                for i in 0..<8 { b[24 + i] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(i))) }
            }
        }
        let file = MappedFile(bytes: b, path: "fuzz.cache")
        guard let directory = headString(file, index: 1) else { return 0 }
        var total = 0
        for family in [ProviderFamily(format: .elf, is64: true), ProviderFamily(format: .elf, is64: false),
                       ProviderFamily(format: .xcoff, is64: true), ProviderFamily(format: .xcoff, is64: false)] {
            guard let cache = try? CacheFile(file, family: family, directory: directory) else { continue }
            total &+= cache.libraries.count
            do {
                try cache.validateAllBuckets()
                try cache.forEachName { name, providers in total &+= name.count &+ providers.count }
                for p in cache.providers.prefix(64) { total &+= (try cache.lookup(p.name))?.providers.count ?? 0 }
            } catch {
                total &+= 1
            }
        }
        return total
    }

    /// The `index`th length-prefixed string after the fixed header (0: family, 1: directory).
    static func headString(_ file: MappedFile, index: Int) -> String? {
        var c = Cursor(region: file.region, offset: CacheFile.headerSize)
        var s: NameView = .empty
        for _ in 0...index { guard let v = try? c.string() else { return nil }; s = v }
        return s.string
    }
}
