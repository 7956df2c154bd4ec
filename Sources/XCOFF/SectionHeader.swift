import MappedFile

/// One section header (`scnhdr`), both widths widened to 64-bit fields.
public struct SectionHeader: Sendable {
    public var name: NameView
    public var physicalAddress: UInt64
    public var virtualAddress: UInt64
    public var size: UInt64
    public var rawDataOffset: UInt64
    public var relocationOffset: UInt64
    public var lineNumberOffset: UInt64
    /// Relocation and line-number counts after the XCOFF32 overflow rule has been applied.
    public var relocationCount: Int
    public var lineNumberCount: Int
    public var flags: UInt32

    /// The section type: low 16 bits of `s_flags` (`STYP_*`).
    public var type: UInt32 { flags & 0xFFFF }

    public var isText: Bool { type & SectionType.text != 0 }
    public var isData: Bool { type & (SectionType.data | SectionType.tdata) != 0 }
    public var isBSS: Bool { type & (SectionType.bss | SectionType.tbss) != 0 }
    public var isDebug: Bool { type & (SectionType.debug | SectionType.dwarf) != 0 }
}
