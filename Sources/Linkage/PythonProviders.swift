import MappedFile
import ObjectModel

/// libpython and its companions as providers, found through the Python configuration.
extension Resolution {
    mutating func findPythonProviders() {
        // Python symbols that the platform leaves to the interpreter need no provider: no need
        // to start Python to find libpython (most of a Linux diagnosis's time otherwise).
        let pythonOpen = openOrder.filter { open[$0] != nil && PythonAPI.isPythonName($0) && !isExpected($0) }
        guard !pythonOpen.isEmpty || options.embedded else { return }
        // Never libpython for a Linux module: the fix is to drop -z defs (applyPolicy).
        guard !dropsNoUndefined else { return }
        switch options.python {
        case .none: return
        case .interpreter(let exe): pythonConfig = PythonConfig.fromInterpreter(exe)
        case .pyo3Config(let file):
            guard let text = FileSystem.readText(file) else {
                diagnosis.findings.append(Finding(id: .pythonConfigUnreadable, severity: .error,
                                                  message: "cannot read the PyO3 config \(file)"))
                return
            }
            pythonConfig = PythonConfig.fromPyO3File(text, path: file)
        }
        guard let config = pythonConfig else {
            if case .interpreter(let exe) = options.python {
                diagnosis.findings.append(Finding(id: .pythonNotFound, severity: .note,
                                                  message: "no Python interpreter \(exe) to read sysconfig from (use --python or --pyo3-config)"))
            }
            return
        }
        diagnosis.python = config.source
        for path in pythonCandidates(config) {
            guard let lib = Library.load(path: path, role: .python, target: target,
                                         linkArguments: pythonArguments(config, path: path)) else { continue }
            pythonLibrary = lib
            libraries.append(lib)
            break
        }
        guard let lib = pythonLibrary else {
            let present = pythonCandidates(config).filter { FileSystem.isRegularFile($0) }
            let why = present.map { "\(FileSystem.baseName($0)) \(Library.whyUnusable(path: $0, target: target))" }
            // An XCOFF libpython of the other width, or this machine's (ELF) Python asked about
            // an AIX module: each has its own way out.
            let hint: String
            if target.family == .xcoff && why.contains(where: { $0.contains("has only XCOFF") }) {
                hint = " (rebuild the module with OBJECT_MODE=\(target.xcoffBits == 32 ? 64 : 32), or use a \(target.xcoffBits ?? 64)-bit Python)"
            } else if target.family == .xcoff && why.contains(where: { $0.contains("has only ELF") }) {
                hint = " (that is this machine's Python, not the AIX one: give the AIX Python's configuration with --pyo3-config, or its libpython with -L and -l)"
            } else {
                hint = ""
            }
            // A cross build's config names the target's libpython, which need not be here:
            // the link arguments still come from the config.
            if present.isEmpty, case .pyo3Config = options.python, let name = config.libName, let dir = config.targetLibDir {
                pythonArgumentsFromConfig = ["-L\(dir)", "-l\(name)"] + config.companionLibraries.map { "-l\($0)" }
                diagnosis.findings.append(Finding(
                    id: .libpythonNotFound, severity: .note,
                    message: "\(config.source): lib\(name) in \(dir) is not on this machine, so what it exports is not checked"))
                return
            }
            diagnosis.findings.append(Finding(
                id: .libpythonNotFound, severity: .note,
                message: "\(config.source) names lib\(config.libName ?? "python") in \(config.libDir ?? "?"), but "
                    + (why.isEmpty ? "no libpython for this target is there" : why.joined(separator: "; ")) + hint))
            return
        }
        for key in openOrder where open[key].map({ lib.binds(key, version: $0.version) }) ?? false {
            providers[key, default: []].append(lib.displayName)
        }
    }

    /// libpython's files in the order the target's linker would pick them, then (on AIX)
    /// CPython's `python.exp` import list under LIBPL.
    private func pythonCandidates(_ c: PythonConfig) -> [String] {
        guard let dir = c.libDir else { return [] }
        var files: [String] = []
        if let name = c.libName {
            if target.family == .elf {
                if let shared = c.sharedLibrary { files.append("\(dir)/\(shared)") }
                files += ["\(dir)/lib\(name).so", "\(dir)/lib\(name).a"]
            } else {
                files += ["\(dir)/lib\(name).a", "\(dir)/lib\(name).so"]
            }
        }
        if target.family == .xcoff, let pl = c.configDir { files.append("\(pl)/python.exp") }
        return files
    }

    private func pythonArguments(_ c: PythonConfig, path: String) -> [String] {
        if path.hasSuffix(".exp") { return ["-bI:\(path)"] }
        var args = Library.linkArguments(for: path, family: target.family)
        if let name = c.libName, args.count == 2, args[1].hasPrefix("-l") {
            args[1] = "-l\(name)"
            // The directory the target's link will use, as the configuration names it.
            if let dir = c.targetLibDir { args[0] = "-L\(dir)" }
        }
        return args + c.companionLibraries.map { "-l\($0)" }
    }
}
