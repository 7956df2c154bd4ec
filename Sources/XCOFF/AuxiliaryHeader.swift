/// The parts of the auxiliary ("optional") header a linkage tool needs. Executables and shared
/// objects have the full header; objects usually have none (size 0) or the 28-byte short form.
public struct AuxiliaryHeader: Sendable {
    public var magic: UInt16
    public var version: UInt16
    public var textStart: UInt64
    public var dataStart: UInt64
    public var entryPoint: UInt64?
    public var tocAnchor: UInt64?
    /// 1-based section numbers; 0 when the header does not say.
    public var entrySection: Int
    public var loaderSection: Int
    /// `o_modtype`, two ASCII characters such as "1L" (single-use, loadable) or "RO".
    public var moduleType: UInt16
    public var maxStack: UInt64
    public var maxData: UInt64
}
