import MappedFile
import ObjectModel

/// Maps XCOFF's storage classes, csect types and mapping classes onto the format-neutral model.
enum SymbolClassifier {
    static func symbol(_ s: XCOFFSymbol, in file: XCOFFFile) -> Symbol {
        let binding: Binding = s.storageClass == StorageClass.external ? .global
            : s.storageClass == StorageClass.weakExternal ? .weak : .local
        var symbol = Symbol(
            name: s.name, value: s.value, defined: !s.isUndefined, binding: binding,
            kind: kind(s), visibility: s.visibility, sectionNumber: Int(s.sectionNumber),
            nmLetter: letter(s, binding: binding, file: file),
            storageClass: StorageClass.name(s.storageClass),
            symbolType: s.csect.map { CsectType.name($0.symbolType) },
            mappingClass: s.csect.map { MappingClass.name($0.mappingClass) })
        // x_scnlen is a length only for csect definitions; for labels it is a symbol index.
        if let c = s.csect, c.symbolType == CsectType.sectionDefinition || c.symbolType == CsectType.common {
            symbol.size = c.sectionLength
        }
        return symbol
    }

    static func kind(_ s: XCOFFSymbol) -> SymbolKind {
        if s.storageClass == StorageClass.file { return .file }
        if let c = s.csect {
            switch c.mappingClass {
            case MappingClass.program, MappingClass.glue: return .function
            default: return .data
            }
        }
        // C_STAT entries name sections (`.text`, `.data`) in objects made by AIX compilers.
        if s.storageClass == StorageClass.static { return .section }
        return .other
    }

    /// The nm letter: `U` undefined, `w`/`W` weak, `a` absolute, `f` file, then by section type
    /// (`t` text, `d` data, `b` bss, `N` debug); upper case for external symbols.
    static func letter(_ s: XCOFFSymbol, binding: Binding, file: XCOFFFile) -> UInt8 {
        if s.storageClass == StorageClass.file { return UInt8(ascii: "f") }
        if s.isUndefined { return binding == .weak ? UInt8(ascii: "w") : UInt8(ascii: "U") }
        if binding == .weak { return UInt8(ascii: "W") }
        // Common csects print as `C` whatever their storage class, as in llvm-nm.
        if s.csect?.symbolType == CsectType.common { return UInt8(ascii: "C") }
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
