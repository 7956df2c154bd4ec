#if canImport(Glibc)
import Glibc
#endif
import ProviderIndex

/// Where a Python installation keeps libpython and what else a module linking it needs.
///
/// Read from the interpreter's `sysconfig` (`--python`), or from a PyO3 build configuration
/// file (`--pyo3-config`, the format of `PYO3_CONFIG_FILE`) when the target's Python cannot run
/// here (an AIX Python on a Linux build machine).
public struct PythonConfig: Sendable, Equatable {
    /// LIBDIR: the directory holding libpython, where it is read on this machine.
    public var libDir: String?
    /// LIBDIR as the target's linker will use it (`-L`): the PyO3 config's `lib_dir` as
    /// written, which for a cross build need not exist here.
    public var targetLibDir: String?
    /// The library name for `-l`: `python3.11`, `python3.9`.
    public var libName: String?
    /// The file name of the shared libpython (LDLIBRARY), when Python was built shared.
    public var sharedLibrary: String?
    /// Companion libraries to link after libpython (from LIBS/SYSLIBS): `-lintl -ldl -lm`.
    public var companionLibraries: [String] = []
    /// LIBPL: where `python.exp` lives on AIX.
    public var configDir: String?
    /// `3.11`.
    public var version: String?
    /// The interpreter's executable (`sys.executable`), when it was asked.
    public var executable: String?
    /// A debug build (`Py_DEBUG`, ABIFLAGS `d`): it exports `_Py_RefTotal` and friends.
    public var debug = false
    /// A free-threaded build (`Py_GIL_DISABLED`, ABIFLAGS `t`).
    public var freeThreaded = false
    /// EXT_SUFFIX (`.cpython-311-x86_64-linux-gnu.so`) and SOABI.
    public var extSuffix: String?
    public var soabi: String?
    /// Py_ENABLE_SHARED: the C API lives in libpython, not in the executable.
    public var shared = false
    /// Where the configuration came from, for the report.
    public var source: String

    public init(source: String) { self.source = source }

    /// The `-l` arguments of LIBS and SYSLIBS, without duplicates, in order; `-L`, `-Wl,…` and
    /// other flags are not libraries and are dropped.
    static func libraries(in flags: String) -> [String] {
        var out: [String] = []
        for word in flags.split(whereSeparator: { $0 == " " || $0 == "\t" }) where word.hasPrefix("-l") && word.count > 2 {
            let lib = String(word.dropFirst(2))
            if !out.contains(lib) { out.append(lib) }
        }
        return out
    }

    /// Asks `python` for its sysconfig; nil when it cannot be run or says nothing useful.
    /// Answers are kept for the life of the process (`check` diagnoses many modules) and on
    /// disk under `cacheRoot` (see `InterpreterDiskCache`).
    public static func fromInterpreter(_ python: String, cacheRoot: String? = ProviderIndex.defaultCacheDirectory) -> PythonConfig? {
        InterpreterCache.shared.value(for: python) {
            if let vars = InterpreterDiskCache.read(python, cacheRoot: cacheRoot) {
                return fromSysconfig(vars, source: "sysconfig of \(python)")
            }
            guard let vars = PythonSysconfig.ask(python) else { return nil }
            let c = fromSysconfig(vars, source: "sysconfig of \(python)")
            if c != nil { InterpreterDiskCache.write(python, vars, cacheRoot: cacheRoot) }
            return c
        }
    }

    /// Reads a target's `_sysconfigdata_*.py` (`--python-sysconfig`); throws when it is malformed.
    static func fromSysconfigFile(_ path: String) throws(PythonSysconfig.FileError) -> PythonConfig {
        let vars = try PythonSysconfig.readFile(path)
        guard let c = fromSysconfig(vars, source: "sysconfig data \(path)") else {
            throw PythonSysconfig.FileError(path: path, offset: 0, what: "names no LDVERSION or VERSION")
        }
        return c
    }

    /// One reading of sysconfig's variables, whichever way they were obtained.
    static func fromSysconfig(_ vars: [String: String], source: String) -> PythonConfig? {
        func value(_ k: String) -> String? { vars[k].flatMap { $0.isEmpty ? nil : $0 } }
        var c = PythonConfig(source: source)
        c.libDir = value("LIBDIR")
        c.targetLibDir = c.libDir
        c.version = value("VERSION")
        if let v = value("LDVERSION") ?? c.version.map({ $0 + (vars["ABIFLAGS"] ?? "") }) { c.libName = "python" + v }
        c.shared = vars["Py_ENABLE_SHARED"] == "1"
        if c.shared, let l = value("LDLIBRARY") { c.sharedLibrary = l }
        c.companionLibraries = libraries(in: (vars["LIBS"] ?? "") + " " + (vars["SYSLIBS"] ?? ""))
        c.configDir = value("LIBPL")
        c.executable = value("EXECUTABLE")
        let flags = vars["ABIFLAGS"] ?? ""
        c.debug = vars["Py_DEBUG"] == "1" || flags.contains("d")
        c.freeThreaded = vars["Py_GIL_DISABLED"] == "1" || flags.contains("t")
        c.extSuffix = value("EXT_SUFFIX")
        c.soabi = value("SOABI")
        return c.libName == nil ? nil : c
    }

    /// "Python 3.11 (debug, free-threaded build)", "Python 3.12": how findings name it.
    public var interpreterName: String {
        let builds = (debug ? ["debug"] : []) + (freeThreaded ? ["free-threaded"] : [])
        return "Python \(version ?? "?")" + (builds.isEmpty ? "" : " (\(builds.joined(separator: ", ")) build)")
    }

    /// Reads a PyO3 configuration file: `key=value` lines (`lib_name`, `lib_dir`, `version`,
    /// `shared`, `extra_build_script_line`…); unknown keys are ignored, as PyO3 does.
    public static func fromPyO3File(_ text: String, path: String) -> PythonConfig {
        var c = PythonConfig(source: "PyO3 config \(path)")
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingSpaces, value = String(line[line.index(after: eq)...]).trimmingSpaces
            switch key {
            case "lib_name": c.libName = value
            case "lib_dir": c.libDir = value
            case "version": c.version = value
            case "shared":
                c.shared = value == "true"
                if c.shared, let n = c.libName { c.sharedLibrary = "lib\(n).so" }
            case "extra_build_script_line":
                // `cargo:rustc-link-lib=intl` lines name companion libraries.
                if let r = value.range(of: "cargo:rustc-link-lib=") {
                    let lib = String(value[r.upperBound...])
                    if !c.companionLibraries.contains(lib) { c.companionLibraries.append(lib) }
                }
            default: break
            }
        }
        if c.sharedLibrary == nil, let n = c.libName { c.sharedLibrary = "lib\(n).so" }
        // A relative lib_dir is taken relative to the file, so a config can travel with its Python.
        if let d = c.libDir, !d.hasPrefix("/") {
            c.libDir = FileSystem.directory(of: path) + "/" + d
        }
        c.targetLibDir = c.libDir
        return c
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

/// One sysconfig answer per interpreter path, shared by concurrent diagnoses.
final class InterpreterCache: @unchecked Sendable {
    static let shared = InterpreterCache()
    private var lock = pthread_mutex_t()
    private var values: [String: PythonConfig?] = [:]

    init() { pthread_mutex_init(&lock, nil) }

    func value(for key: String, compute: () -> PythonConfig?) -> PythonConfig? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if let v = values[key] { return v }
        let v = compute()
        values[key] = v
        return v
    }
}
