import ObjectModel

/// Which symbols `symbols` lists: nm's `--undefined-only`, `--defined-only`, `--extern-only`.
public struct SymbolFilter: Equatable, Sendable {
    public var undefinedOnly = false
    public var definedOnly = false
    public var externOnly = false

    public init(undefinedOnly: Bool = false, definedOnly: Bool = false, externOnly: Bool = false) {
        self.undefinedOnly = undefinedOnly
        self.definedOnly = definedOnly
        self.externOnly = externOnly
    }

    @inline(__always)
    public func accepts(_ s: Symbol) -> Bool {
        if undefinedOnly && s.defined { return false }
        if definedOnly && !s.defined { return false }
        if externOnly && !s.isExternal { return false }
        return true
    }
}
