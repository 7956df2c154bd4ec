import CLibELF
import MappedFile

/// One section header, as libelf decoded it (both widths and byte orders), plus its name.
public struct ELFSection {
    /// Index in the section header table; symbols refer to sections by it.
    public let index: Int
    /// Name from the section header string table (a view into the mapping; empty if none).
    public let name: NameView
    public let type: UInt32
    public let flags: UInt64
    /// File offset of the contents, relative to the ELF image (an archive member's start).
    public let offset: UInt64
    public let size: UInt64
    public let link: UInt32
    public let info: UInt32
    /// libelf's section handle, valid while the `ELFFile` lives.
    let scn: OpaquePointer

    var isAlloc: Bool { flags & ELFConst.shfAlloc != 0 }
    var isWritable: Bool { flags & ELFConst.shfWrite != 0 }
    var isExecutable: Bool { flags & ELFConst.shfExecInstr != 0 }
    var hasContents: Bool { type != ELFConst.shtNobits }
}
