import MappedFile
import ObjectModel

/// The platform's rules for a Python extension module, turned into findings, and the final
/// assembly of the diagnosis (unresolved list, libraries, missing link arguments).
extension Resolution {
    /// Unresolved references in first-seen order.
    var unresolvedKeys: [NameView] { openOrder.filter { open[$0] != nil } }

    /// Python C API references are expected to stay unresolved on Linux (the interpreter
    /// provides them at import time), unless Python is embedded.
    func isExpected(_ key: NameView) -> Bool {
        platform == .linux && !options.embedded && options.linkRule != .strict && PythonAPI.isPythonName(key)
            && !notExported.contains(key)
    }

    /// Unresolved symbols are errors, except where the linker lets them through.
    var unresolvedSeverity: Severity { options.linkRule == .allowUndefined ? .warning : .error }

    var allowUndefinedNote: String {
        options.linkRule == .allowUndefined
            ? " (the linker lets them through here, but loading fails unless something provides them at run time)" : ""
    }

    /// An ELF extension module for an interpreter that provides the C API, linked with
    /// `-z defs`/`--no-undefined`: the option is what makes its Python symbols errors.
    var dropsNoUndefined: Bool {
        platform == .linux && !options.embedded && !options.noUndefinedOptions.isEmpty
    }

    /// A program that embeds Python (`--embedded`, an executable, objects defining `main`) is
    /// not an extension module: it has no `PyInit_` to export.
    var isProgram: Bool {
        options.embedded || linkSet.targets.contains { $0.kind == .executable }
            || linkSet.targets.contains { t in t.kind == .object && t.exportedKeys().contains { $0.equals("main") || $0.equals(".main") } }
    }

    var isPythonExtension: Bool {
        linkSet.allReferences.contains { PythonAPI.isPythonName($0.key) }
            || linkSet.targets.contains { $0.exportedKeys().contains { $0.hasPrefix("PyInit_") } }
    }

    mutating func applyPolicy() {
        let keys = unresolvedKeys
        let python = keys.filter { PythonAPI.isPythonName($0) }
        let strong = keys.filter { !(open[$0]?.weak ?? false) }
        let errors = strong.filter { !isExpected($0) }

        let leftToInterpreter = python.filter { isExpected($0) }
        if !leftToInterpreter.isEmpty {
            diagnosis.findings.append(Finding(
                id: .pythonAPIFromInterpreter, severity: .note,
                message: "\(leftToInterpreter.count) Python C API symbols are left for the interpreter to provide at import time, as Linux extension modules should"))
        }
        let pythonErrors = errors.filter { PythonAPI.isPythonName($0) && !notExported.contains($0) }
        if !pythonErrors.isEmpty && dropsNoUndefined {
            let opts = options.noUndefinedOptions.joined(separator: " ")
            diagnosis.removeLinkArguments = options.noUndefinedOptions
            diagnosis.findings.append(Finding(
                id: .noUndefinedExtension, severity: .error,
                message: "\(pythonErrors.count) Python C API symbols are unresolved because of \(opts): drop it; a Linux extension module leaves the C API to the interpreter (linking libpython instead is what manylinux forbids)",
                symbols: pythonErrors.map { display($0) }))
        } else if !pythonErrors.isEmpty {
            let fix = pythonLibrary.map { " add \($0.linkArguments.joined(separator: " "))" }
                ?? (pythonArgumentsFromConfig.isEmpty ? nil : " add \(pythonArgumentsFromConfig.joined(separator: " "))")
                ?? (pythonConfig == nil ? " link libpython (-L<LIBDIR> -lpython3.X; give --python or --pyo3-config to find it)"
                    : " link a libpython built for this target (see the libpython-not-found note)")
            let why = options.embedded ? "Python is embedded, so the program must link libpython"
                : options.linkRule == .strict && platform == .linux ? "this link must resolve every symbol (-z defs or an executable)"
                : platform == .aix ? "the AIX linker must resolve every symbol, so the module must link libpython"
                : "on Android the module must link libpython"
            diagnosis.findings.append(Finding(
                id: .libpythonNotLinked, severity: unresolvedSeverity,
                message: "\(pythonErrors.count) Python C API symbols are unresolved; \(why):\(fix)\(allowUndefinedNote)",
                symbols: pythonErrors.map { display($0) }))
        }
        let otherErrors = errors.filter { !PythonAPI.isPythonName($0) && !versionFailures.contains($0) }
        if !otherErrors.isEmpty {
            let names = otherErrors.map { display($0) }
            diagnosis.findings.append(Finding(
                id: .unresolvedSymbols, severity: unresolvedSeverity,
                message: "\(otherErrors.count) symbols are unresolved: \(Self.list(otherErrors.map { displayWithVersion($0) }))\(allowUndefinedNote)",
                symbols: names))
        }
        let weak = keys.filter { open[$0]?.weak ?? false }
        if !weak.isEmpty {
            diagnosis.findings.append(Finding(
                id: .weakUnresolved, severity: .note,
                message: "\(weak.count) weak references stay unresolved (allowed: they resolve to 0): \(Self.list(weak.map { display($0) }))"))
        }
        if platform == .aix && !mainProgramImports.isEmpty {
            diagnosis.findings.append(Finding(
                id: .importsFromMainProgram, severity: options.embedded ? .error : .warning,
                message: "Python symbols are imported from the main program (\(mainProgramImports.joined(separator: ", ")), an import file starting #!.): the module loads inside the python executable, but not when Python is embedded in another program (rtld: 0712-001 … a runtime definition of the symbol was not found); link libpython instead"))
        }
        checkLinkedLibpython()
        if isPythonExtension && options.checkModuleInit && !isProgram { checkPyInit() }
    }

    /// Linux: an extension module that links libpython breaks manylinux rules (and loads a
    /// second libpython into a static interpreter). Android: it must link it, and `--as-needed`
    /// can drop it.
    private mutating func checkLinkedLibpython() {
        guard target.family == .elf else { return }
        for t in linkSet.targets where t.kind == .shared {
            let needed = t.dynamic?.importModules.map(\.base) ?? []
            let libpython = needed.filter { $0.hasPrefix("libpython") }
            if platform == .linux && !options.embedded && !libpython.isEmpty {
                diagnosis.findings.append(Finding(
                    id: .linksLibpython, severity: .warning,
                    message: "\(FileSystem.baseName(t.path)) links \(libpython.joined(separator: ", ")): Linux extension modules must not (manylinux forbids it; the interpreter provides the C API)"))
            }
            if platform == .android && libpython.isEmpty && isPythonExtension {
                diagnosis.findings.append(Finding(
                    id: .androidLibpythonNotNeeded, severity: .error,
                    message: "\(FileSystem.baseName(t.path)) uses the Python C API but has no DT_NEEDED libpython (was it dropped by --as-needed?): link it with -Wl,--no-as-needed -lpython3.X"))
            }
        }
    }

    /// Every extension module must export `PyInit_<name>`, the name taken from its file name.
    /// Shared objects given together are modules each: each must export its own. A name given
    /// (a replayed link's `-o`) is looked for across all inputs, which are then the parts of one
    /// module.
    private mutating func checkPyInit() {
        func initFunctions(_ targets: [ObjectImage]) -> Set<String> {
            Set(targets.flatMap { $0.exportedKeys() }.filter { $0.hasPrefix("PyInit_") }.map(\.string))
        }
        let modules = linkSet.targets.filter { $0.kind == .shared }
        if let name = options.moduleName {
            requireInit(name, exported: initFunctions(linkSet.targets), in: nil)
        } else if !modules.isEmpty {
            for m in modules where !Self.isSharedLibrary(m) {
                guard let name = Self.moduleName(of: [m]) else { continue }
                requireInit(name, exported: initFunctions([m]), in: modules.count > 1 ? m : nil)
            }
        } else if initFunctions(linkSet.targets).isEmpty {
            diagnosis.findings.append(Finding(
                id: .missingPyInit, severity: .error,
                message: "no input exports a PyInit_<name> function, so Python cannot import the module"))
        }
    }

    /// A shared library beside the modules, not a module: named `lib*.so*` (an AIX member
    /// `lib*.so` too), or bundled under a wheel's `<package>.libs/` directory by auditwheel.
    static func isSharedLibrary(_ image: ObjectImage) -> Bool {
        let file = image.member ?? FileSystem.baseName(image.path)
        return (file.hasPrefix("lib") && file.contains(".so")) || image.path.split(separator: "/").dropLast().contains { $0.hasSuffix(".libs") }
    }

    /// A `missing-pyinit` finding unless `exported` has `PyInit_<name>`; `module` names the file
    /// when several modules are diagnosed together.
    private mutating func requireInit(_ name: String, exported: Set<String>, in module: ObjectImage?) {
        guard !exported.contains("PyInit_\(name)") else { return }
        let others = exported.isEmpty ? "" : " (it exports \(exported.sorted().joined(separator: ", ")))"
        let file = module.map { "\($0.displayName): " } ?? ""
        diagnosis.findings.append(Finding(
            id: .missingPyInit, severity: .error,
            message: "\(file)the module \(name) does not export PyInit_\(name)\(others): `import \(name)` fails with \"dynamic module does not define module export function\"",
            symbols: ["PyInit_\(name)"]))
    }

    /// `_speedups.cpython-311-x86_64-linux-gnu.so`, `_speedups.so`, `lib_speedups.a(_speedups.so)`
    /// → `_speedups`. Objects (a link not done yet) have no module name.
    static func moduleName(of targets: [ObjectImage]) -> String? {
        guard let t = targets.first(where: { $0.kind == .shared }) else { return nil }
        let file = t.member ?? FileSystem.baseName(t.path)
        let stem = file.prefix { $0 != "." }
        return stem.isEmpty ? nil : String(stem)
    }

    /// The name as the linker reports it: `.PyErr_Print` for an AIX function call.
    func display(_ key: NameView) -> String {
        (linkSet.references[key]?.display ?? key).string
    }

    // MARK: assembly

    /// The conventional library for a name nothing here provides (`-latomic` for
    /// `__atomic_*`), unless that library is here and was searched: then it does not have the
    /// name (glibc 2.34's libpthread.a is empty), and suggesting it would not fix the link.
    func runtimeHint(for key: NameView) -> String? {
        guard let l = CompilerRuntime.library(for: key) else { return nil }
        return options.searchLibraryDirectories && search.find(library: l) != nil ? nil : l
    }

    mutating func finish() -> Diagnosis {
        var needed: [Library] = []
        for key in unresolvedKeys {
            let r = open[key]!
            let provided = providers[key] ?? []
            var p = provided
            if p.isEmpty, let lib = runtimeHint(for: key) { p = ["-l\(lib) (compiler runtime)"] }
            diagnosis.unresolved.append(UnresolvedSymbol(
                name: display(key), weak: r.weak, providers: p, pythonAPI: PythonAPI.isPythonName(key),
                expected: isExpected(key), version: r.version))
            if let descriptor = linkSet.descriptorForms[key] {
                diagnosis.unresolved.append(UnresolvedSymbol(
                    name: descriptor.string, weak: r.weak, providers: p, pythonAPI: PythonAPI.isPythonName(key),
                    expected: isExpected(key)))
            }
            guard !r.weak, !isExpected(key), let first = provided.first,
                  let lib = libraries.first(where: { $0.displayName == first && ($0.role == .python || $0.role == .suggested) })
            else { continue }
            lib.provides += 1
            if !needed.contains(where: { $0 === lib }) { needed.append(lib) }
        }
        // Link order: libraries in the order they were found, -L directories first, and no
        // -L for a directory the link searches already.
        var dirs: [String] = [], libs: [String] = []
        let pythonFromConfig = unresolvedKeys.contains { !(open[$0]!.weak) && !isExpected($0) && PythonAPI.isPythonName($0) }
            ? pythonArgumentsFromConfig : []
        let all = [pythonFromConfig] + needed.map(\.linkArguments)
        // Asked only when there is a -L to leave out: it may run the linker and the compiler.
        let searched = all.joined().contains { $0.hasPrefix("-L") } ? directoriesSearchedAnyway : []
        for args in all {
            for a in args {
                if a.hasPrefix("-L") {
                    if !dirs.contains(a) && !searched.contains(FileSystem.canonical(String(a.dropFirst(2)))) { dirs.append(a) }
                } else if !libs.contains(a) { libs.append(a) }
            }
        }
        for key in unresolvedKeys where providers[key] == nil && !(open[key]!.weak) && !isExpected(key) {
            // Never "add -lm" when -lm is already part of the link.
            if let l = runtimeHint(for: key), !libs.contains("-l\(l)"),
               !libraries.contains(where: { $0.role == .given && $0.linkArguments.contains("-l\(l)") }) { libs.append("-l\(l)") }
        }
        // What the line already links where it stands is never asked for again (libpython's
        // companions `-ldl -lm` when `-lm` is there).
        let onTheLine = Set(libraries.filter { $0.role == .given && !$0.misplaced }.flatMap(\.linkArguments).filter { !$0.hasPrefix("-L") })
        diagnosis.missingLinkArguments = dirs + libs.filter { !onTheLine.contains($0) } + extraArguments + runPathArguments(for: needed)
        diagnosis.libraries = libraries.map {
            LibraryReport(name: $0.displayName, path: $0.path, linked: $0.role == .linked || $0.role == .given,
                          role: $0.role, provides: $0.provides, linkArguments: $0.linkArguments)
        }
        diagnosis.rustBuild = options.rustBuild || linkSet.targets.contains { RustInputs.isRust($0.path) }
        diagnosis.findings.sort { $0.severity > $1.severity }
        return diagnosis
    }
}
