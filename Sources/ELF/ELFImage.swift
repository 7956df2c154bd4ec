import MappedFile
import ObjectModel

/// Builds the format-neutral `ObjectImage` of an ELF file.
extension ELFFile {
    /// `symbols` is `.symtab` (what nm lists); `dynamic` carries `.dynsym`, DT_NEEDED and the
    /// rest of the dynamic section for executables and shared objects that have them.
    /// `options` says which symbol tables to read, and whether as arrays or decoders.
    public func image(path: String, member: String? = nil, options: ReadOptions = .all) throws(ParseError) -> ObjectImage {
        var notes: [String] = []
        let symtab = section(ofType: ELFConst.shtSymtab)
        var symbols: [Symbol] = []
        var deferred: (any SymbolDecoder)?
        if let symtab, options.staticSymbols {
            if deferring(symtab, options) {
                deferred = try symbolDecoder(in: symtab, versions: nil, filter: options.filter)
            } else {
                symbols = try self.symbols(in: symtab, versions: nil, filter: options.filter)
            }
        }

        var dynamicInfo: DynamicInfo?
        var dynamic: DynamicSection?
        if let d = section(ofType: ELFConst.shtDynamic) { dynamic = try DynamicSection(self, d) }
        let dynsym = section(ofType: ELFConst.shtDynsym)
        if dynsym != nil || dynamic != nil {
            var info = DynamicInfo()
            if let dynsym, options.dynamicSymbols {
                let versions = try SymbolVersions(self)
                if deferring(dynsym, options) {
                    info.deferredSymbols = try symbolDecoder(in: dynsym, versions: versions, filter: options.filter)
                } else {
                    info.symbols = try self.symbols(in: dynsym, versions: versions, filter: options.filter)
                }
                info.versionDefinitions = versions?.definedNames ?? []
                info.versionNeeds = versions?.needs ?? []
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
        image.deferredSymbols = deferred
        image.dynamic = dynamicInfo
        image.machine = ELFNames.machine(header.e_machine)
        image.osABI = ELFNames.osABI(header.e_ident.7)
        image.isAndroid = isAndroid
        return image
    }

    /// Whether `table` is handed over as a decoder: only large tables are. A decoder keeps
    /// libelf's state of the whole file alive until the listing is written, which for a
    /// small archive member costs more than its array of symbols.
    private func deferring(_ table: ELFSection, _ options: ReadOptions) -> Bool {
        options.deferSymbols && table.size / UInt64(is64 ? 24 : 16) >= UInt64(Self.smallestDeferredTable)
    }

    /// Entries from which a table is handed over as a decoder.
    static let smallestDeferredTable = 8192

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
