#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MappedFile

/// Names already demangled, with their results: the members of an archive refer to the same
/// functions again and again (libLLVMCodeGen.a: 26,458 mangled names, 11,970 different), and
/// demangling one costs far more than finding it here.
///
/// An open-addressing table of 64-bit hashes over one byte arena that holds a copy of each name
/// and its demangled text (names are copied: the file they came from may be gone before the
/// next lookup). The arena is bounded: past `limit` bytes nothing more is remembered. Not
/// thread-safe: one per `Demangler`, one `Demangler` per thread.
final class DemangledNames {
    private struct Slot {
        var hash: UInt64 = 0
        /// Where the name's bytes start in the arena; -1 for an empty slot.
        var name: Int = -1
        var nameCount: Int32 = 0
        /// The demangled text's length in the arena (right after the name); -1 when the name
        /// is not a valid mangled name.
        var textCount: Int32 = 0
    }

    static let limit = 8 << 20
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var used = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity = 1 << 16

    init() {
        mask = 1023
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(), count: mask + 1)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// What is remembered for `name`: `.some(text)` (nil text: not a valid mangled name), or
    /// nil when it has not been seen. The text is valid until the next `remember`.
    func lookup(_ name: NameView, hash: UInt64) -> NameView?? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].name >= 0 {
            let s = slots[i]
            if s.hash == hash && Int(s.nameCount) == name.count
                && (name.count == 0 || memcmp(arena + s.name, name.start!, name.count) == 0) {
                if s.textCount < 0 { return .some(nil) }
                return .some(NameView(start: UnsafeRawPointer(arena + s.name + Int(s.nameCount)), count: Int(s.textCount)))
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Remembers `name`'s demangled `text` (nil: not a valid mangled name), unless the arena is full.
    func remember(_ name: NameView, hash: UInt64, text: NameView?) {
        let need = name.count + (text?.count ?? 0)
        guard arenaCount + need <= Self.limit, name.count < Int(Int32.max), (text?.count ?? 0) < Int(Int32.max) else { return }
        if arenaCount + need > arenaCapacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(arenaCapacity * 2, arenaCount + need))
            bigger.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = bigger
            arenaCapacity = max(arenaCapacity * 2, arenaCount + need)
        }
        if (used + 1) * 2 > mask + 1 { grow() }
        let at = arenaCount
        if let p = name.start { memcpy(arena + at, p, name.count) }
        if let text, let p = text.start { memcpy(arena + at + name.count, p, text.count) }
        arenaCount += need
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].name >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(hash: hash, name: at, nameCount: Int32(name.count), textCount: text.map { Int32($0.count) } ?? -1)
        used += 1
    }

    private func grow() {
        let old = slots, oldCount = mask + 1
        mask = oldCount * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(), count: mask + 1)
        for k in 0..<oldCount where old[k].name >= 0 {
            var i = Int(truncatingIfNeeded: old[k].hash) & mask
            while slots[i].name >= 0 { i = (i + 1) & mask }
            slots[i] = old[k]
        }
        old.deallocate()
    }

    /// A 64-bit hash of the bytes, eight at a time.
    static func hash(_ name: NameView) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(name.count)
        guard let p = name.start else { return h }
        var i = 0
        while i + 8 <= name.count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < name.count {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
