/// Numeric constants of the XCOFF format (IBM AIX "XCOFF object file format"; the same values
/// appear in LLVM's BinaryFormat/XCOFF.h and Go's internal/xcoff).
public enum XCOFFMagic {
    public static let xcoff32: UInt16 = 0x01DF
    public static let xcoff64: UInt16 = 0x01F7
    /// The 64-bit magic of AIX 4.1 and earlier; its layout is not the current XCOFF64 one.
    public static let xcoff64Old: UInt16 = 0x01EF
}

/// File header flags (`f_flags`).
public enum FileFlags {
    public static let relocationsStripped: UInt16 = 0x0001  // F_RELFLG
    public static let executable: UInt16 = 0x0002           // F_EXEC
    public static let lineNumbersStripped: UInt16 = 0x0004  // F_LNNO
    public static let dynamicLoad: UInt16 = 0x1000          // F_DYNLOAD
    public static let sharedObject: UInt16 = 0x2000         // F_SHROBJ
    public static let loadOnly: UInt16 = 0x4000             // F_LOADONLY
}

/// Section types: the low 16 bits of `s_flags`.
public enum SectionType {
    public static let pad: UInt32 = 0x0008
    public static let dwarf: UInt32 = 0x0010
    public static let text: UInt32 = 0x0020
    public static let data: UInt32 = 0x0040
    public static let bss: UInt32 = 0x0080
    public static let except: UInt32 = 0x0100
    public static let info: UInt32 = 0x0200
    public static let tdata: UInt32 = 0x0400
    public static let tbss: UInt32 = 0x0800
    public static let loader: UInt32 = 0x1000
    public static let debug: UInt32 = 0x2000
    public static let typecheck: UInt32 = 0x4000
    public static let overflow: UInt32 = 0x8000
}

/// Special section numbers (`n_scnum`).
public enum SectionNumber {
    public static let debug: Int16 = -2  // N_DEBUG
    public static let absolute: Int16 = -1  // N_ABS
    public static let undefined: Int16 = 0  // N_UNDEF
}

/// `x_auxtype` of XCOFF64 auxiliary entries (byte 17); XCOFF32 entries have no such byte.
public enum AuxiliaryType {
    public static let exception: UInt8 = 255  // _AUX_EXCEPT
    public static let function: UInt8 = 254  // _AUX_FCN
    public static let symbol: UInt8 = 253  // _AUX_SYM
    public static let file: UInt8 = 252  // _AUX_FILE
    public static let csect: UInt8 = 251  // _AUX_CSECT
    public static let section: UInt8 = 250  // _AUX_SECT
}

/// Size of one symbol table entry (primary or auxiliary) in both widths.
let symbolEntrySize = 18
