/// Which symbols a listing shows: nm's `--undefined-only`, `--defined-only`, `--extern-only`.
///
/// Readers get it too (`ReadOptions.filter`): what it refuses is decided from an entry's
/// fixed-size fields (ELF `st_shndx` and `st_info`, XCOFF `n_scnum` and `n_sclass`), so an
/// entry it refuses is skipped before its name, version or letter is read.
public struct SymbolFilter: Equatable, Sendable {
    public var undefinedOnly = false
    public var definedOnly = false
    public var externOnly = false

    public init(undefinedOnly: Bool = false, definedOnly: Bool = false, externOnly: Bool = false) {
        self.undefinedOnly = undefinedOnly
        self.definedOnly = definedOnly
        self.externOnly = externOnly
    }

    /// True when every symbol passes: readers then need not ask.
    public var acceptsAll: Bool { !undefinedOnly && !definedOnly && !externOnly }

    @inline(__always)
    public func accepts(defined: Bool, external: Bool) -> Bool {
        if undefinedOnly && defined { return false }
        if definedOnly && !defined { return false }
        if externOnly && !external { return false }
        return true
    }

    @inline(__always)
    public func accepts(_ s: borrowing Symbol) -> Bool { accepts(defined: s.defined, external: s.isExternal) }
}
