import MappedFile
import ObjectModel

/// Builds the format-neutral `ObjectImage` of an ELF file.
extension ELFFile {
    /// `symbols` is `.symtab` (what nm lists); `dynamic` carries `.dynsym`, DT_NEEDED and the
    /// rest of the dynamic section for executables and shared objects that have them.
    public func image(path: String, member: String? = nil) throws(ParseError) -> ObjectImage {
        var notes: [String] = []
        let symtab = section(ofType: ELFConst.shtSymtab)
        let symbols = try symtab.map { t throws(ParseError) in try self.symbols(in: t, versions: nil) } ?? []

        var dynamicInfo: DynamicInfo?
        var dynamic: DynamicSection?
        if let d = section(ofType: ELFConst.shtDynamic) { dynamic = try DynamicSection(self, d) }
        let dynsym = section(ofType: ELFConst.shtDynsym)
        if dynsym != nil || dynamic != nil {
            var info = DynamicInfo()
            if let dynsym {
                info.symbols = try self.symbols(in: dynsym, versions: try SymbolVersions(self))
            }
            if let dynamic {
                info.importModules = dynamic.needed.map { ImportModule(base: $0) }
                info.soname = dynamic.soname
                info.rpath = dynamic.rpath
                info.runpath = dynamic.runpath
            }
            for s in info.symbols {
                if !s.defined {
                    if s.binding == .global || s.binding == .weak {
                        info.imports.append(DynamicImport(name: s.name, module: nil, weak: s.binding == .weak))
                    }
                } else if s.binding != .local && (s.visibility == .default || s.visibility == .protected) {
                    // GNU unique symbols are exported too: the loader binds them across modules.
                    info.exports.append(s.name)
                }
            }
            dynamicInfo = info
        }

        if symtab == nil {
            notes.append(dynsym != nil ? "no symbol table (stripped); the dynamic symbols remain (--dynamic)"
                                       : "no symbol table (stripped)")
        }
        var image = ObjectImage(path: path, member: member, format: format, kind: kind(dynamic),
                                symbols: symbols, notes: notes, storage: region.file)
        image.dynamic = dynamicInfo
        image.machine = ELFNames.machine(header.e_machine)
        image.osABI = ELFNames.osABI(header.e_ident.7)
        image.isAndroid = isAndroid
        return image
    }

    /// ET_DYN is both a shared library and a position-independent executable. A PIE is told
    /// apart by a program interpreter *and* DF_1_PIE: the interpreter alone is not enough,
    /// because some libraries (glibc's libc.so.6) have one so that they can be run.
    func kind(_ dynamic: DynamicSection?) -> ImageKind {
        switch header.e_type {
        case ELFConst.etExec: return .executable
        case ELFConst.etDyn: return (dynamic?.isPIE ?? false) && hasInterpreter ? .executable : .shared
        default: return .object
        }
    }
}
