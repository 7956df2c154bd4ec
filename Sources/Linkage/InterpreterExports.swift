import ImageLoader
import MappedFile
import ObjectModel
import ProviderIndex

/// The interpreter that will load the module, as far as its exports go: the files that provide
/// the Python C API at import time (the executable's `.dynsym` and, when Python is built
/// shared, its libpython), and how to name it in a finding.
struct InterpreterExports {
    var config: PythonConfig
    var libraries: [Library]
    /// Where the exports were read from, for the finding.
    var files: [String]

    /// The libpython file(s) and executable a configuration names, those that exist.
    static func files(of config: PythonConfig, crossLibDir: String? = nil) -> [String] {
        var files: [String] = []
        if let exe = config.executable { files.append(exe) }
        if let lib = config.sharedLibrary {
            // PyO3 finds a cross build's libpython in PYO3_CROSS_LIB_DIR itself.
            for dir in [crossLibDir, config.libDir].compactMap({ $0 }) where FileSystem.isRegularFile("\(dir)/\(lib)") {
                files.append("\(dir)/\(lib)")
                break
            }
        }
        return files
    }
}

extension Resolution {
    /// Which configuration describes the interpreter that will load the module: a target's
    /// sysconfig data (a cross build) first, then `--pyo3-config`, then `--python`.
    mutating func interpreterConfig() -> (config: PythonConfig, crossLibDir: String?)? {
        if let c = targetSysconfig { return (c, crossLibDir) }
        if let c = pythonConfig { return (c, nil) }
        switch options.python {
        case .none: return nil
        case .pyo3Config(let file):
            guard let text = FileSystem.readText(file) else { return nil }
            return (PythonConfig.fromPyO3File(text, path: file), nil)
        case .interpreter(let exe):
            return PythonConfig.fromInterpreter(exe, cacheRoot: options.useProviderCache
                ? (options.providerCacheDirectory ?? Self.defaultCacheRoot) : nil).map { ($0, nil) }
        }
    }

    /// The exports of the interpreter that will load the module; nil (with why) when they
    /// cannot be read for this target.
    mutating func interpreterExports() -> (exports: InterpreterExports?, why: String) {
        // A libpython given by hand (`--lib`, `-l`) is the one the user means.
        let given = libraries.filter { $0.role == .given && FileSystem.baseName($0.path).hasPrefix("libpython") }
        guard let (config, cross) = interpreterConfig() else {
            if !given.isEmpty {
                return (InterpreterExports(config: PythonConfig(source: given[0].path), libraries: given, files: given.map(\.path)), "")
            }
            if case .interpreter(let exe) = options.python { return (nil, "no Python interpreter \(exe) could be asked") }
            return (nil, "no Python configuration was given")
        }
        var files = InterpreterExports.files(of: config, crossLibDir: cross)
        var libs = given
        // An executable that does not link libpython has the C API in itself (a static
        // libpython, exported with -export-dynamic): a libpython beside it is never loaded.
        if let exe = config.executable, files.count == 2, files[0] == exe,
           let lib = Library.load(path: exe, role: .python, target: target, linkArguments: []),
           !(lib.images.first?.dynamic?.importModules.contains { $0.base.hasPrefix("libpython") } ?? false) {
            files.removeLast()
        }
        for f in files {
            guard let lib = Library.load(path: f, role: .python, target: target, linkArguments: []) else {
                return (nil, "\(f) \(Library.whyUnusable(path: f, target: target))")
            }
            if let m = lib.images.first?.machine, let t = firstTarget.machine, m != t {
                return (nil, "\(config.interpreterName) at \(f) is for \(m), the module for \(t) (give the target's sysconfig data with --python-sysconfig)")
            }
            libs.append(lib)
        }
        guard !libs.isEmpty else {
            return (nil, "\(config.source) names no executable or shared libpython to read (a static libpython's exports are the target executable's)")
        }
        return (InterpreterExports(config: config, libraries: libs, files: files + given.map(\.path)), "")
    }

    /// A module built against newer or differently configured headers references C API names
    /// the interpreter does not export; `import` then fails with "undefined symbol". Checked
    /// where the interpreter provides the C API: Linux extension modules.
    mutating func checkInterpreterExports() {
        guard target.family == .elf, platform == .linux, !options.embedded, options.checkInterpreterExports else { return }
        let keys = unresolvedKeys.filter { isExpected($0) && !(open[$0]?.weak ?? false) }
        guard !keys.isEmpty else { return }
        if targetSysconfig == nil, options.sysroot == nil, let foreign = TargetPlatform.foreignReason(firstTarget) {
            diagnosis.findings.append(Finding(
                id: .pythonAPINotChecked, severity: .note,
                message: "the \(keys.count) Python C API symbols were not checked: the module \(foreign) (give the target interpreter's sysconfig data with --python-sysconfig)"))
            return
        }
        let (found, why) = interpreterExports()
        guard let interpreter = found else {
            if case .none = options.python, targetSysconfig == nil { return }
            diagnosis.findings.append(Finding(
                id: .pythonAPINotChecked, severity: .note,
                message: "the \(keys.count) Python C API symbols were not checked against the interpreter: \(why)"))
            return
        }
        let missing = keys.filter { k in !interpreter.libraries.contains { $0.binds(k, version: open[k]?.version) } }
        notExported = Set(missing)
        guard !missing.isEmpty else { return }
        let names = missing.map { displayWithVersion($0) }
        diagnosis.findings.append(Finding(
            id: .pythonAPINotExported, severity: .error,
            message: "\(interpreter.config.interpreterName) (\(interpreter.files.joined(separator: ", "))) does not export \(Self.list(names)): `import` fails with \"undefined symbol: \(display(missing[0]))\" (the module was built for another Python version or build)",
            symbols: missing.map { display($0) }))
    }

    static var defaultCacheRoot: String? { ProviderIndex.defaultCacheDirectory }
}
