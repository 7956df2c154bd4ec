import MappedFile

/// The symbol letter GNU nm prints for an ELF symbol, derived the way BFD derives it.
///
/// BFD turns the ELF symbol into flags (`bfd_decode_symclass`): common `C`; undefined `U`, or
/// `w`/`v` when weak (`v` for objects); GNU ifunc `i`; defined weak `W`/`V`; GNU unique `u`;
/// absolute `a`; otherwise a letter for the section, upper case for globals. The section letter
/// comes first from its name (`coff_section_type`: `.text*` → t, `.rodata*` → r, `.bss*` → b, …)
/// and otherwise from its flags (`decode_section_type`: code t, read-only data r, data d, no
/// contents b, debug N, other read-only n). Matching nm here lets tests compare line for line.
enum NMLetter {
    static func letter(info: UInt8, sectionIndex shndx: UInt32, sections: [ELFSection]) -> UInt8 {
        letter(info: info, sectionIndex: shndx, sectionLetters: sectionLetters(sections))
    }

    /// The lower-case letter of each section, by section index: worked out once per table
    /// rather than by comparing section names for every symbol.
    static func sectionLetters(_ sections: [ELFSection]) -> [UInt8] {
        sections.map(sectionLetter)
    }

    /// The lower-case letter of one section.
    static func sectionLetter(_ s: ELFSection) -> UInt8 {
        guard let c = byName(s.name) else { return byFlags(s) }
        // A writable `.rodata` (gold writes one into some Swift libraries) is data to nm.
        return c == ascii("r") && s.isWritable ? ascii("d") : c
    }

    static func letter(info: UInt8, sectionIndex shndx: UInt32, sectionLetters: [UInt8]) -> UInt8 {
        let binding = info >> 4
        let type = info & 0xF
        let isObject = type == ELFConst.sttObject || type == ELFConst.sttCommon || type == ELFConst.sttTLS
        let weak = binding == ELFConst.stbWeak
        if shndx == ELFConst.shnCommon { return ascii("C") }
        if shndx == ELFConst.shnUndef {
            if weak { return isObject ? ascii("v") : ascii("w") }
            return ascii("U")
        }
        if type == ELFConst.sttGNUIFunc { return ascii("i") }
        if weak { return isObject ? ascii("V") : ascii("W") }
        if binding == ELFConst.stbGNUUnique { return ascii("u") }
        guard binding == ELFConst.stbGlobal || binding == ELFConst.stbLocal else { return ascii("?") }
        var c: UInt8
        if shndx >= ELFConst.shnLoReserve || Int(shndx) >= sectionLetters.count {
            // SHN_ABS, processor-specific indices, and indices with no section: BFD puts all of
            // these in its absolute section.
            c = ascii("a")
        } else {
            c = sectionLetters[Int(shndx)]
        }
        if binding == ELFConst.stbGlobal && c >= ascii("a") && c <= ascii("z") { c -= 32 }
        return c
    }

    private static func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }

    /// BFD's table of conventional section names; a name matches when the prefix is followed by
    /// the end of the name, `.`, `$` or a digit (so `.text.hot` is text, `.init_array` is not
    /// `.init`).
    private static let names: [(StaticString, UInt8)] = [
        (".bss", UInt8(ascii: "b")), (".comment", UInt8(ascii: "n")), (".data", UInt8(ascii: "d")),
        (".debug", UInt8(ascii: "N")), (".drectve", UInt8(ascii: "i")), (".edata", UInt8(ascii: "e")),
        (".fini", UInt8(ascii: "t")), (".idata", UInt8(ascii: "i")), (".init", UInt8(ascii: "t")),
        (".pdata", UInt8(ascii: "p")), (".rdata", UInt8(ascii: "r")), (".rodata", UInt8(ascii: "r")),
        (".sbss", UInt8(ascii: "s")), (".scommon", UInt8(ascii: "c")), (".sdata", UInt8(ascii: "g")),
        (".text", UInt8(ascii: "t")), ("vars", UInt8(ascii: "d")), ("zerovars", UInt8(ascii: "b")),
    ]

    private static func byName(_ name: NameView) -> UInt8? {
        // Objects built with -ffunction-sections have thousands of sections: compare a name
        // only with the table entries that share its second byte.
        guard name.count >= 4, let start = name.start else { return nil }
        let second = start.load(fromByteOffset: 1, as: UInt8.self)
        for (prefix, c) in names where prefix.utf8Start[1] == second && name.hasPrefix(prefix) {
            let n = prefix.utf8CodeUnitCount
            if n == name.count { return c }
            let next = name.bytes[n]
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "$") || (next >= 0x30 && next <= 0x39) { return c }
        }
        return nil
    }

    /// BFD's section flags from an ELF section header (`_bfd_elf_make_section_from_shdr`), then
    /// nm's letter for them.
    private static func byFlags(_ s: ELFSection) -> UInt8 {
        let load = s.isAlloc && s.hasContents
        let readonly = !s.isWritable
        if s.isExecutable { return ascii("t") }
        if load { return readonly ? ascii("r") : ascii("d") }
        if !s.hasContents { return ascii("b") }
        if !s.isAlloc && isDebugName(s.name) { return ascii("N") }
        if readonly { return ascii("n") }
        return ascii("?")
    }

    private static func isDebugName(_ n: NameView) -> Bool {
        n.hasPrefix(".debug") || n.hasPrefix(".gnu.linkonce.wi.") || n.hasPrefix(".zdebug")
            || n.hasPrefix(".line") || n.hasPrefix(".stab") || n.hasPrefix(".gnu.debuglto_.debug_")
    }
}
