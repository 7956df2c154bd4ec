import MappedFile
import ObjectModel

/// Maps XCOFF's storage classes, csect types and mapping classes onto the format-neutral model.
enum SymbolClassifier {
    static func symbol(_ s: XCOFFSymbol, in file: XCOFFFile) -> Symbol {
        let binding: Binding = s.storageClass == XCOFFStorageClass.external ? .global
            : s.storageClass == XCOFFStorageClass.weakExternal ? .weak : .local
        var symbol = Symbol(
            name: s.name, value: s.value, defined: !s.isUndefined, binding: binding,
            kind: kind(s), visibility: s.visibility, sectionNumber: Int(s.sectionNumber),
            nmLetter: letter(s, binding: binding, file: file),
            xcoff: XCOFFSymbolFacts(storageClass: s.storageClass, symbolType: s.csect?.symbolType,
                                    mappingClass: s.csect?.mappingClass))
        // x_scnlen is a length only for csect definitions; for labels it is a symbol index.
        if let c = s.csect, c.symbolType == XCOFFSymbolType.sectionDefinition || c.symbolType == XCOFFSymbolType.common {
            symbol.size = c.sectionLength
        }
        return symbol
    }

    static func kind(_ s: XCOFFSymbol) -> SymbolKind {
        if s.storageClass == XCOFFStorageClass.file { return .file }
        if let c = s.csect {
            switch c.mappingClass {
            case XCOFFMappingClass.program, XCOFFMappingClass.glue: return .function
            default: return .data
            }
        }
        // C_STAT entries name sections (`.text`, `.data`) in objects made by AIX compilers.
        if s.storageClass == XCOFFStorageClass.static { return .section }
        return .other
    }

    /// The nm letter: `U` undefined, `w`/`W` weak, `a` absolute, `f` file, then by section type
    /// (`t` text, `d` data, `b` bss, `N` debug); upper case for external symbols.
    static func letter(_ s: XCOFFSymbol, binding: Binding, file: XCOFFFile) -> UInt8 {
        if s.storageClass == XCOFFStorageClass.file { return UInt8(ascii: "f") }
        if s.isUndefined { return binding == .weak ? UInt8(ascii: "w") : UInt8(ascii: "U") }
        if binding == .weak { return UInt8(ascii: "W") }
        // Common csects print as `C` whatever their storage class, as in llvm-nm.
        if s.csect?.symbolType == XCOFFSymbolType.common { return UInt8(ascii: "C") }
        var c: UInt8
        switch s.sectionNumber {
        case SectionNumber.absolute: c = UInt8(ascii: "a")
        case SectionNumber.debug: c = UInt8(ascii: "N")
        case SectionNumber.undefined: c = UInt8(ascii: "?")
        default:
            guard let sec = file.section(number: Int(s.sectionNumber)) else { return UInt8(ascii: "?") }
            c = sec.isText ? UInt8(ascii: "t") : sec.isData ? UInt8(ascii: "d")
                : sec.isBSS ? UInt8(ascii: "b") : sec.isDebug ? UInt8(ascii: "N") : UInt8(ascii: "?")
        }
        if binding == .global && c != UInt8(ascii: "?") && c != UInt8(ascii: "N") { c -= 32 }
        return c
    }
}
