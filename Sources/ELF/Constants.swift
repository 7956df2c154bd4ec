/// The ELF numbers this reader tests, typed as the `GElf_*` fields that hold them.
///
/// `<elf.h>` macros import as `Int32`, which would need a conversion at every comparison with
/// the unsigned header fields; these are the same values from the System V ABI and the GNU
/// extensions (`.gnu.version*`, STB_GNU_UNIQUE, STT_GNU_IFUNC, DF_1_PIE).
enum ELFConst {
    // e_type
    static let etRel: UInt16 = 1, etExec: UInt16 = 2, etDyn: UInt16 = 3, etCore: UInt16 = 4
    // e_ident
    static let classOffset = 4, dataOffset = 5, osABIOffset = 7
    static let class32: UInt8 = 1, class64: UInt8 = 2
    static let data2LSB: UInt8 = 1, data2MSB: UInt8 = 2

    // sh_type
    static let shtProgbits: UInt32 = 1, shtSymtab: UInt32 = 2, shtDynamic: UInt32 = 6
    static let shtNobits: UInt32 = 8, shtDynsym: UInt32 = 11, shtSymtabShndx: UInt32 = 18
    static let shtGNUVerdef: UInt32 = 0x6fff_fffd, shtGNUVerneed: UInt32 = 0x6fff_fffe
    static let shtGNUVersym: UInt32 = 0x6fff_ffff
    // sh_flags
    static let shfWrite: UInt64 = 0x1, shfAlloc: UInt64 = 0x2, shfExecInstr: UInt64 = 0x4

    // special section indices
    static let shnUndef: UInt32 = 0, shnLoReserve: UInt32 = 0xff00, shnAbs: UInt32 = 0xfff1
    static let shnCommon: UInt32 = 0xfff2, shnXIndex: UInt32 = 0xffff

    // st_info binding and type
    static let stbLocal: UInt8 = 0, stbGlobal: UInt8 = 1, stbWeak: UInt8 = 2, stbGNUUnique: UInt8 = 10
    static let sttNotype: UInt8 = 0, sttObject: UInt8 = 1, sttFunc: UInt8 = 2, sttSection: UInt8 = 3
    static let sttFile: UInt8 = 4, sttCommon: UInt8 = 5, sttTLS: UInt8 = 6, sttGNUIFunc: UInt8 = 10
    // st_other visibility
    static let stvDefault: UInt8 = 0, stvInternal: UInt8 = 1, stvHidden: UInt8 = 2, stvProtected: UInt8 = 3

    // d_tag
    static let dtNull: Int64 = 0, dtNeeded: Int64 = 1, dtSoname: Int64 = 14, dtRpath: Int64 = 15
    static let dtRunpath: Int64 = 29, dtFlags: Int64 = 30, dtFlags1: Int64 = 0x6fff_fffb
    static let df1PIE: UInt64 = 0x0800_0000

    // p_type
    static let ptInterp: UInt32 = 3

    // symbol versioning
    static let versymHidden: UInt16 = 0x8000, versymIndexMask: UInt16 = 0x7fff
    static let verFlagBase: UInt16 = 0x1
}
