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

/// Storage classes (`n_sclass`) that change how a symbol is read.
public enum StorageClass {
    public static let external: UInt8 = 2  // C_EXT
    public static let `static`: UInt8 = 3  // C_STAT
    public static let file: UInt8 = 103  // C_FILE
    public static let hiddenExternal: UInt8 = 107  // C_HIDEXT
    public static let weakExternal: UInt8 = 111  // C_WEAKEXT
    public static let dwarf: UInt8 = 112  // C_DWARF
    /// Storage classes with this bit are stabs debug symbols: their names live in `.debug`.
    public static let debugMask: UInt8 = 0x80

    /// The C name of a storage class, as IBM's headers spell it.
    public static func name(_ c: UInt8) -> StaticString {
        switch c {
        case 0: "C_NULL"
        case 1: "C_AUTO"
        case 2: "C_EXT"
        case 3: "C_STAT"
        case 4: "C_REG"
        case 5: "C_EXTDEF"
        case 6: "C_LABEL"
        case 7: "C_ULABEL"
        case 8: "C_MOS"
        case 9: "C_ARG"
        case 10: "C_STRTAG"
        case 11: "C_MOU"
        case 12: "C_UNTAG"
        case 13: "C_TPDEF"
        case 14: "C_USTATIC"
        case 15: "C_ENTAG"
        case 16: "C_MOE"
        case 17: "C_REGPARM"
        case 18: "C_FIELD"
        case 100: "C_BLOCK"
        case 101: "C_FCN"
        case 102: "C_EOS"
        case 103: "C_FILE"
        case 104: "C_LINE"
        case 105: "C_ALIAS"
        case 106: "C_HIDDEN"
        case 107: "C_HIDEXT"
        case 108: "C_BINCL"
        case 109: "C_EINCL"
        case 110: "C_INFO"
        case 111: "C_WEAKEXT"
        case 112: "C_DWARF"
        case 128: "C_GSYM"
        case 129: "C_LSYM"
        case 130: "C_PSYM"
        case 131: "C_RSYM"
        case 132: "C_RPSYM"
        case 133: "C_STSYM"
        case 134: "C_TCSYM"
        case 135: "C_BCOMM"
        case 136: "C_ECOML"
        case 137: "C_ECOMM"
        case 140: "C_DECL"
        case 141: "C_ENTRY"
        case 142: "C_FUN"
        case 143: "C_BSTAT"
        case 144: "C_ESTAT"
        case 145: "C_GTLS"
        case 146: "C_STTLS"
        case 255: "C_EFCN"
        default: "C_UNKNOWN"
        }
    }
}

/// Csect symbol types: the low three bits of `x_smtyp`.
public enum CsectType {
    public static let externalReference: UInt8 = 0  // XTY_ER
    public static let sectionDefinition: UInt8 = 1  // XTY_SD
    public static let label: UInt8 = 2  // XTY_LD
    public static let common: UInt8 = 3  // XTY_CM

    public static func name(_ t: UInt8) -> StaticString {
        switch t {
        case 0: "XTY_ER"
        case 1: "XTY_SD"
        case 2: "XTY_LD"
        case 3: "XTY_CM"
        default: "XTY_UNKNOWN"
        }
    }
}

/// Storage-mapping classes (`x_smclas`, loader `l_smclas`).
public enum MappingClass {
    public static let program: UInt8 = 0  // XMC_PR
    public static let readOnly: UInt8 = 1  // XMC_RO
    public static let toc: UInt8 = 3  // XMC_TC
    public static let unclassified: UInt8 = 4  // XMC_UA
    public static let readWrite: UInt8 = 5  // XMC_RW
    public static let glue: UInt8 = 6  // XMC_GL
    public static let descriptor: UInt8 = 10  // XMC_DS
    public static let tocAnchor: UInt8 = 15  // XMC_TC0
    public static let tocData: UInt8 = 16  // XMC_TD

    public static func name(_ c: UInt8) -> StaticString {
        switch c {
        case 0: "XMC_PR"
        case 1: "XMC_RO"
        case 2: "XMC_DB"
        case 3: "XMC_TC"
        case 4: "XMC_UA"
        case 5: "XMC_RW"
        case 6: "XMC_GL"
        case 7: "XMC_XO"
        case 8: "XMC_SV"
        case 9: "XMC_BS"
        case 10: "XMC_DS"
        case 11: "XMC_UC"
        case 12: "XMC_TI"
        case 13: "XMC_TB"
        case 15: "XMC_TC0"
        case 16: "XMC_TD"
        case 17: "XMC_SV64"
        case 18: "XMC_SV3264"
        case 20: "XMC_TL"
        case 21: "XMC_UL"
        case 22: "XMC_TE"
        default: "XMC_UNKNOWN"
        }
    }
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
