#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibELF
import MappedFile
import ObjectModel

/// libelf must be told which ELF version the caller speaks before any other call; Swift runs
/// this global's initializer once, thread-safely, on first use.
private let libelfReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

/// An ELF object, shared object or executable (32 or 64 bit, either byte order), read by
/// elfutils' libelf over our read-only mapping.
///
/// Why `elf_memory`: the file is already mapped (and an archive member is a slice of the
/// archive's mapping), so libelf is handed the bytes instead of a descriptor, and the strings
/// it returns (`elf_strptr`) point into our mapping; they become `NameView`s with no copy.
/// `elf_memory` takes a non-const pointer, but it opens the image with `ELF_C_READ_MMAP`, a
/// read-only command: libelf converts headers and tables of the other byte order into memory of
/// its own and never writes to the image (only `elf_update`/`elf_flagdata` paths would, and they
/// are not used). The mapping is `PROT_READ`, so a write would fault rather than corrupt.
///
/// libelf checks offsets and sizes against the image; every pointer it returns is still tested
/// for nil, and every string it returns is checked to lie inside the mapping.
///
/// `@unchecked Sendable`: nothing changes after `init`, and the libelf calls made afterwards
/// only read what libelf has loaded (see `ELFSymbolTable`).
public final class ELFFile: @unchecked Sendable {
    public let region: ByteRegion
    let elf: OpaquePointer
    public let is64: Bool
    public let endian: Endian
    public let header: GElf_Ehdr
    /// Section headers by index (index 0 is the null section).
    public let sections: [ELFSection]

    public init(_ region: ByteRegion) throws(ParseError) {
        self.region = region
        let (is64, endian) = try ELFFile.checkIdentification(region)
        self.is64 = is64
        self.endian = endian
        try ELFFile.checkSectionTable(region, is64: is64, endian: endian)
        guard libelfReady else {
            throw region.error("ELF file", at: 0, "libelf refused EV_CURRENT (library too old)")
        }
        let raw = region.rawBytes
        guard let base = raw.baseAddress,
              let elf = elf_memory(UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self)), raw.count)
        else {
            throw ELFFile.libelfError(region, "ELF file", at: 0)
        }
        self.elf = elf
        var ehdr = GElf_Ehdr()
        guard elf_kind(elf) == ELF_K_ELF, gelf_getehdr(elf, &ehdr) != nil else {
            let e = ELFFile.libelfError(region, "ELF header", at: 0)
            elf_end(elf)
            throw e
        }
        self.header = ehdr
        do {
            self.sections = try ELFFile.readSections(elf, region)
        } catch {
            elf_end(elf)
            throw error
        }
    }

    deinit { elf_end(elf) }

    /// ELF identification (`e_ident`) checked in Swift first, so that the common problems of
    /// a damaged file get a precise byte offset rather than libelf's generic message.
    private static func checkIdentification(_ r: ByteRegion) throws(ParseError) -> (Bool, Endian) {
        let cls = try r.u8(ELFConst.classOffset, "ELF identification (EI_CLASS)")
        let data = try r.u8(ELFConst.dataOffset, "ELF identification (EI_DATA)")
        guard cls == ELFConst.class32 || cls == ELFConst.class64 else {
            throw r.error("ELF identification", at: ELFConst.classOffset, "EI_CLASS \(cls) is neither ELFCLASS32 nor ELFCLASS64")
        }
        guard data == ELFConst.data2LSB || data == ELFConst.data2MSB else {
            throw r.error("ELF identification", at: ELFConst.dataOffset, "EI_DATA \(data) is neither little- nor big-endian")
        }
        let is64 = cls == ELFConst.class64
        try r.check(0, is64 ? 64 : 52, "ELF header")
        return (is64, data == ELFConst.data2LSB ? .little : .big)
    }

    /// The section header table must lie inside the image. (An `e_shnum` of 0 with a non-zero
    /// `e_shoff` means the count is in section 0's `sh_size`; libelf handles that case.)
    private static func checkSectionTable(_ r: ByteRegion, is64: Bool, endian: Endian) throws(ParseError) {
        let shoffAt = is64 ? 0x28 : 0x20
        let shoff = is64 ? try r.u64(shoffAt, endian, "ELF header e_shoff") : UInt64(try r.u32(shoffAt, endian, "ELF header e_shoff"))
        let shentsize = Int(try r.u16(is64 ? 0x3A : 0x2E, endian, "ELF header e_shentsize"))
        let shnum = Int(try r.u16(is64 ? 0x3C : 0x30, endian, "ELF header e_shnum"))
        if shoff == 0 { return }
        guard shoff <= UInt64(r.count) else {
            throw r.error("ELF header", at: shoffAt, "section header table offset \(shoff) is past the end of the \(r.count)-byte image")
        }
        let expected = is64 ? 64 : 40
        if shnum > 0 && shentsize != expected {
            throw r.error("ELF header", at: is64 ? 0x3A : 0x2E, "e_shentsize is \(shentsize), expected \(expected)")
        }
        try r.checkTable(Int(shoff), count: max(shnum, 1), size: expected, "ELF section header table")
        if shnum == 0 {
            // The real count is section 0's sh_size. libelf treats a count that does not fit as
            // "no sections", which would make a damaged file look like a stripped one.
            let at = Int(shoff) + (is64 ? 32 : 20)
            let count = is64 ? try r.u64(at, endian, "ELF section header 0 sh_size")
                : UInt64(try r.u32(at, endian, "ELF section header 0 sh_size"))
            guard count <= UInt64(Int32.max) else {
                throw r.error("ELF section header 0", at: at, "extended section count \(count) is impossible")
            }
            try r.checkTable(Int(shoff), count: Int(count), size: expected, "ELF section header table")
        }
    }

    private static func readSections(_ elf: OpaquePointer, _ r: ByteRegion) throws(ParseError) -> [ELFSection] {
        var count = 0
        var strndx = 0
        guard elf_getshdrnum(elf, &count) == 0 else { throw libelfError(r, "ELF section header table", at: 0) }
        guard elf_getshdrstrndx(elf, &strndx) == 0 else { throw libelfError(r, "ELF section name table", at: 0) }
        var out: [ELFSection] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let scn = elf_getscn(elf, i) else { throw libelfError(r, "ELF section header \(i)", at: 0) }
            var sh = GElf_Shdr()
            guard gelf_getshdr(scn, &sh) != nil else { throw libelfError(r, "ELF section header \(i)", at: 0) }
            var name = NameView.empty
            if i != 0 && strndx != 0, let p = elf_strptr(elf, strndx, Int(sh.sh_name)) {
                name = try view(p, r, "name of ELF section \(i)")
            }
            out.append(ELFSection(index: i, name: name, type: sh.sh_type, flags: sh.sh_flags, offset: sh.sh_offset,
                                  size: sh.sh_size, link: sh.sh_link, info: sh.sh_info, scn: scn))
        }
        return out
    }

    /// A string libelf returned, as a view into the mapping. libelf has already checked that it
    /// is NUL-terminated inside its section; a pointer outside the mapping would mean libelf had
    /// copied the table, and a view of that copy would dangle after `elf_end`, so it is refused.
    static func view(_ p: UnsafeMutablePointer<CChar>, _ r: ByteRegion, _ what: @autoclosure () -> String) throws(ParseError) -> NameView {
        let n = strlen(p)
        guard r.offset(of: UnsafeRawPointer(p), length: n) != nil else {
            throw r.error(what(), at: 0, "libelf returned a string outside the file mapping")
        }
        return NameView(start: UnsafeRawPointer(p), count: n)
    }

    /// The string at `offset` in string-table section `table`; nil when libelf rejects it.
    func string(table: UInt32, offset: UInt64, _ what: @autoclosure () -> String) throws(ParseError) -> NameView? {
        guard offset <= UInt64(Int.max), let p = elf_strptr(elf, Int(table), Int(offset)) else { return nil }
        return try ELFFile.view(p, region, what())
    }

    /// libelf's decoded contents of a section (in host byte order), or an error located at the
    /// section's file offset.
    func data(_ s: ELFSection, _ what: @autoclosure () -> String) throws(ParseError) -> UnsafeMutablePointer<Elf_Data> {
        guard let d = elf_getdata(s.scn, nil) else {
            throw ELFFile.libelfError(region, what(), at: Int(clamping: s.offset))
        }
        return d
    }

    /// A `ParseError` carrying libelf's message for its last error.
    static func libelfError(_ r: ByteRegion, _ what: String, at offset: Int) -> ParseError {
        let code = elf_errno()
        let text = elf_errmsg(code).map { String(cString: $0) } ?? "error \(code)"
        return r.error(what, at: offset, "libelf: " + text)
    }

    func libelfError(_ what: String, at offset: Int) -> ParseError {
        ELFFile.libelfError(region, what, at: offset)
    }

    public var format: ImageFormat { is64 ? .elf64 : .elf32 }

    /// The first section of a type (there is at most one `.dynsym`, `.dynamic`, `.gnu.version`).
    func section(ofType type: UInt32) -> ELFSection? {
        sections.first { $0.type == type }
    }

    func section(index: Int) -> ELFSection? {
        index > 0 && index < sections.count ? sections[index] : nil
    }

    /// True when a program header says which dynamic loader runs the file (`PT_INTERP`).
    var hasInterpreter: Bool {
        var n = 0
        guard elf_getphdrnum(elf, &n) == 0 else { return false }
        for i in 0..<n {
            var ph = GElf_Phdr()
            if gelf_getphdr(elf, Int32(clamping: i), &ph) != nil, ph.p_type == ELFConst.ptInterp { return true }
        }
        return false
    }

    /// Android's toolchain marks every binary with a `.note.android.ident` section.
    var isAndroid: Bool {
        sections.contains { $0.name.count == 19 && $0.name.hasPrefix(".note.android.ident") }
    }
}
