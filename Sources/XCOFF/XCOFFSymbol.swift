import MappedFile
import ObjectModel

/// One primary symbol table entry with its names resolved and its csect auxiliary entry read.
public struct XCOFFSymbol: Sendable {
    /// Index of the entry in the symbol table (auxiliary entries count, as in `f_nsyms`).
    public var index: Int
    public var name: NameView
    public var value: UInt64
    public var sectionNumber: Int16
    public var type: UInt16
    public var storageClass: XCOFFStorageClass
    public var auxCount: Int
    /// Present for C_EXT, C_WEAKEXT and C_HIDEXT symbols that carry one.
    public var csect: CsectAux?

    public var isExternal: Bool {
        storageClass == XCOFFStorageClass.external || storageClass == XCOFFStorageClass.weakExternal
    }
    public var isWeak: Bool { storageClass == XCOFFStorageClass.weakExternal }
    public var isUndefined: Bool {
        sectionNumber == SectionNumber.undefined && csectCarrier
    }
    /// Storage classes whose symbols describe csects (and may be undefined references).
    var csectCarrier: Bool {
        storageClass == XCOFFStorageClass.external || storageClass == XCOFFStorageClass.weakExternal
            || storageClass == XCOFFStorageClass.hiddenExternal
    }

    /// Visibility from the high nibble of `n_type` (AIX 7.2 and later; 0 on older files).
    public var visibility: Visibility {
        switch type & 0xF000 {
        case 0x1000: .internal
        case 0x2000: .hidden
        case 0x3000: .protected
        case 0x4000: .exported
        default: .default
        }
    }
}
