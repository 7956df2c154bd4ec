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
                id: "python-api-from-interpreter", severity: .note,
                message: "\(leftToInterpreter.count) Python C API symbols are left for the interpreter to provide at import time, as Linux extension modules should"))
        }
        let pythonErrors = errors.filter { PythonAPI.isPythonName($0) && !notExported.contains($0) }
        if !pythonErrors.isEmpty {
            let fix = pythonLibrary.map { " add \($0.linkArguments.joined(separator: " "))" }
                ?? (pythonConfig == nil ? " link libpython (-L<LIBDIR> -lpython3.X; give --python or --pyo3-config to find it)"
                    : " link a libpython built for this target (see the libpython-not-found note)")
            let why = options.embedded ? "Python is embedded, so the program must link libpython"
                : options.linkRule == .strict && platform == .linux ? "this link must resolve every symbol (-z defs or an executable)"
                : platform == .aix ? "the AIX linker must resolve every symbol, so the module must link libpython"
                : "on Android the module must link libpython"
            diagnosis.findings.append(Finding(
                id: "libpython-not-linked", severity: unresolvedSeverity,
                message: "\(pythonErrors.count) Python C API symbols are unresolved; \(why):\(fix)\(allowUndefinedNote)",
                symbols: pythonErrors.map { display($0) }))
        }
        let otherErrors = errors.filter { !PythonAPI.isPythonName($0) && !versionFailures.contains($0) }
        if !otherErrors.isEmpty {
            let names = otherErrors.map { display($0) }
            diagnosis.findings.append(Finding(
                id: "unresolved-symbols", severity: unresolvedSeverity,
                message: "\(otherErrors.count) symbols are unresolved: \(Self.list(otherErrors.map { displayWithVersion($0) }))\(allowUndefinedNote)",
                symbols: names))
        }
        let weak = keys.filter { open[$0]?.weak ?? false }
        if !weak.isEmpty {
            diagnosis.findings.append(Finding(
                id: "weak-unresolved", severity: .note,
                message: "\(weak.count) weak references stay unresolved (allowed: they resolve to 0): \(Self.list(weak.map { display($0) }))"))
        }
        if platform == .aix && !mainProgramImports.isEmpty {
            diagnosis.findings.append(Finding(
                id: "imports-from-main-program", severity: options.embedded ? .error : .warning,
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
                    id: "links-libpython", severity: .warning,
                    message: "\(FileSystem.baseName(t.path)) links \(libpython.joined(separator: ", ")): Linux extension modules must not (manylinux forbids it; the interpreter provides the C API)"))
            }
            if platform == .android && libpython.isEmpty && isPythonExtension {
                diagnosis.findings.append(Finding(
                    id: "android-libpython-not-needed", severity: .error,
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
            for m in modules {
                guard let name = Self.moduleName(of: [m]) else { continue }
                requireInit(name, exported: initFunctions([m]), in: modules.count > 1 ? m : nil)
            }
        } else if initFunctions(linkSet.targets).isEmpty {
            diagnosis.findings.append(Finding(
                id: "missing-pyinit", severity: .error,
                message: "no input exports a PyInit_<name> function, so Python cannot import the module"))
        }
    }

    /// A `missing-pyinit` finding unless `exported` has `PyInit_<name>`; `module` names the file
    /// when several modules are diagnosed together.
    private mutating func requireInit(_ name: String, exported: Set<String>, in module: ObjectImage?) {
        guard !exported.contains("PyInit_\(name)") else { return }
        let others = exported.isEmpty ? "" : " (it exports \(exported.sorted().joined(separator: ", ")))"
        let file = module.map { "\($0.displayName): " } ?? ""
        diagnosis.findings.append(Finding(
            id: "missing-pyinit", severity: .error,
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

    mutating func finish() -> Diagnosis {
        var needed: [Library] = []
        for key in unresolvedKeys {
            let r = open[key]!
            let provided = providers[key] ?? []
            var p = provided
            if p.isEmpty, let lib = CompilerRuntime.library(for: key) { p = ["-l\(lib) (compiler runtime)"] }
            diagnosis.unresolved.append(UnresolvedSymbol(
                name: display(key), weak: r.weak, providers: p, pythonAPI: PythonAPI.isPythonName(key),
                expected: isExpected(key), version: r.version))
            guard !r.weak, !isExpected(key), let first = provided.first,
                  let lib = libraries.first(where: { $0.displayName == first && ($0.role == .python || $0.role == .suggested) })
            else { continue }
            lib.provides += 1
            if !needed.contains(where: { $0 === lib }) { needed.append(lib) }
        }
        // Link order: libraries in the order they were found, -L directories first.
        var dirs: [String] = [], libs: [String] = []
        for lib in needed {
            for a in lib.linkArguments {
                if a.hasPrefix("-L") { if !dirs.contains(a) { dirs.append(a) } } else if !libs.contains(a) { libs.append(a) }
            }
        }
        for key in unresolvedKeys where providers[key] == nil && !(open[key]!.weak) && !isExpected(key) {
            if let l = CompilerRuntime.library(for: key), !libs.contains("-l\(l)") { libs.append("-l\(l)") }
        }
        diagnosis.missingLinkArguments = dirs + libs + extraArguments + runPathArguments(for: needed)
        diagnosis.libraries = libraries.map {
            LibraryReport(name: $0.displayName, path: $0.path, linked: $0.role == .linked || $0.role == .given,
                          role: $0.role, provides: $0.provides, linkArguments: $0.linkArguments)
        }
        diagnosis.findings.sort { $0.severity > $1.severity }
        return diagnosis
    }
}
