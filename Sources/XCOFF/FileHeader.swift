import MappedFile

/// The XCOFF file header (`filehdr`), widened to 64-bit fields for both layouts.
public struct FileHeader: Sendable {
    public var magic: UInt16
    public var sectionCount: Int
    public var timestamp: Int32
    public var symbolTableOffset: UInt64
    /// `f_nsyms`: symbol table entries, auxiliary entries included.
    public var symbolCount: Int
    public var auxiliaryHeaderSize: Int
    public var flags: UInt16

    public var is64: Bool { magic == XCOFFMagic.xcoff64 }
    public var isSharedObject: Bool { flags & FileFlags.sharedObject != 0 }
    public var isExecutable: Bool { flags & FileFlags.executable != 0 }
}

/// The magic number at the start of an XCOFF file, or why it is not one we read.
public enum XCOFFWidth: Sendable {
    case bits32, bits64

    /// Reads the magic; nil when the file is not XCOFF at all. The pre-AIX-4.3 64-bit magic
    /// 0x01EF is refused with a clear message instead of being misread with today's layout.
    public static func sniff(_ region: ByteRegion) throws(ParseError) -> XCOFFWidth? {
        guard region.contains(offset: 0, length: 2) else { return nil }
        switch try region.u16(0, .big, "XCOFF magic") {
        case XCOFFMagic.xcoff32: return .bits32
        case XCOFFMagic.xcoff64: return .bits64
        case XCOFFMagic.xcoff64Old:
            throw region.error("XCOFF file header", at: 0,
                               "obsolete 64-bit XCOFF magic 0x01EF (AIX 4.1 and earlier) is not supported")
        default: return nil
        }
    }
}
