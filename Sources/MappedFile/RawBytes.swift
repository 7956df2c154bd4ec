/// Raw access for C libraries that parse a region themselves (libelf's `elf_memory`).
///
/// Swift code reads through the checked accessors of `ByteRegion`; these exist so a C reader can
/// be handed the mapped bytes without a copy, and so the pointers it hands back (e.g. string
/// table entries from `elf_strptr`) can be checked to lie inside the mapping before a
/// `NameView` is made of them.
extension ByteRegion {
    /// The region's bytes. The memory is mapped `PROT_READ`: writing through it faults.
    public var rawBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
    }

    /// The region-relative offset of `p`, when `length` bytes from `p` lie inside the region.
    public func offset(of p: UnsafeRawPointer, length: Int) -> Int? {
        guard let base = pointer, length >= 0, p >= base else { return nil }
        let off = p - base
        return contains(offset: off, length: length) ? off : nil
    }
}
