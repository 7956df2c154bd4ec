/// XCOFF's own facts about a symbol, as the file stores them: typed numbers (the storage
/// class, and from the csect auxiliary entry or the loader symbol the symbol type and the
/// storage-mapping class), like gimli's `SymbolFlags::Xcoff`. The XCOFF reader fills them;
/// renderers name them (`C_EXT`, `XTY_SD`, `XMC_PR`, as IBM's headers spell them), and checks
/// compare them as numbers.
public struct XCOFFSymbolFacts: Sendable, Equatable {
    /// nil for loader-section symbols, which have none.
    public var storageClass: XCOFFStorageClass?
    /// nil for symbols without a csect auxiliary entry.
    public var symbolType: XCOFFSymbolType?
    public var mappingClass: XCOFFMappingClass?

    public init(storageClass: XCOFFStorageClass?, symbolType: XCOFFSymbolType?, mappingClass: XCOFFMappingClass?) {
        self.storageClass = storageClass
        self.symbolType = symbolType
        self.mappingClass = mappingClass
    }
}

/// `n_sclass`: the storage class of a symbol table entry.
public struct XCOFFStorageClass: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let external = XCOFFStorageClass(rawValue: 2)  // C_EXT
    public static let `static` = XCOFFStorageClass(rawValue: 3)  // C_STAT
    public static let file = XCOFFStorageClass(rawValue: 103)  // C_FILE
    public static let hiddenExternal = XCOFFStorageClass(rawValue: 107)  // C_HIDEXT
    public static let weakExternal = XCOFFStorageClass(rawValue: 111)  // C_WEAKEXT
    public static let dwarf = XCOFFStorageClass(rawValue: 112)  // C_DWARF

    /// Storage classes with the high bit set are stabs debug symbols: their names live in `.debug`.
    public var isDebug: Bool { rawValue & 0x80 != 0 }

    /// As IBM's headers spell it.
    public var name: StaticString {
        switch rawValue {
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

/// The csect symbol type: the low three bits of `x_smtyp` (and of the loader's `l_smtype`).
public struct XCOFFSymbolType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let externalReference = XCOFFSymbolType(rawValue: 0)  // XTY_ER
    public static let sectionDefinition = XCOFFSymbolType(rawValue: 1)  // XTY_SD
    public static let label = XCOFFSymbolType(rawValue: 2)  // XTY_LD
    public static let common = XCOFFSymbolType(rawValue: 3)  // XTY_CM

    /// As IBM's headers spell it.
    public var name: StaticString {
        switch rawValue {
        case 0: "XTY_ER"
        case 1: "XTY_SD"
        case 2: "XTY_LD"
        case 3: "XTY_CM"
        default: "XTY_UNKNOWN"
        }
    }
}

/// The storage-mapping class (`x_smclas`, the loader's `l_smclas`).
public struct XCOFFMappingClass: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let program = XCOFFMappingClass(rawValue: 0)  // XMC_PR
    public static let readOnly = XCOFFMappingClass(rawValue: 1)  // XMC_RO
    public static let toc = XCOFFMappingClass(rawValue: 3)  // XMC_TC
    public static let unclassified = XCOFFMappingClass(rawValue: 4)  // XMC_UA
    public static let readWrite = XCOFFMappingClass(rawValue: 5)  // XMC_RW
    public static let glue = XCOFFMappingClass(rawValue: 6)  // XMC_GL
    public static let descriptor = XCOFFMappingClass(rawValue: 10)  // XMC_DS
    public static let tocAnchor = XCOFFMappingClass(rawValue: 15)  // XMC_TC0
    public static let tocData = XCOFFMappingClass(rawValue: 16)  // XMC_TD

    /// As IBM's headers spell it.
    public var name: StaticString {
        switch rawValue {
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
