/// Where libpython's configuration comes from.
public enum PythonSource: Sendable, Equatable {
    /// Run this interpreter and read its sysconfig (`--python`, default `python3`).
    case interpreter(String)
    /// Read a PyO3 configuration file (`--pyo3-config`).
    case pyo3Config(String)
    /// No Python providers (`--no-python`).
    case none
}

/// What `diagnose` is asked to look at, and where it may look for providers.
public struct DiagnoseOptions: Sendable {
    public var inputs: [String]
    /// `-L` directories.
    public var libraryDirectories: [String] = []
    /// `-l` names (`python3.9`, `:libfoo.so.1`).
    public var libraries: [String] = []
    /// `--lib` files: shared objects, archives, import lists.
    public var libraryFiles: [String] = []
    public var python: PythonSource = .interpreter("python3")
    /// Overrides the platform that the target's format and OS imply.
    public var platform: Platform?
    /// Python is embedded in another program: every Python symbol must resolve, on every platform.
    public var embedded = false
    /// The extension module's name for the `PyInit_<name>` check; from the file name when nil.
    public var moduleName: String?
    /// Search the `-L` and default directories for providers of what is still unresolved.
    public var searchLibraryDirectories = true
    /// AIX `-brtl`: `-l` also finds `lib*.so`.
    public var runtimeLinking = false
    /// The environment (LD_LIBRARY_PATH, LIBPATH) the loader would see.
    public var environment: [String: String] = [:]
    /// Default library directories; nil means the platform's.
    public var defaultDirectories: [String]?

    public init(inputs: [String]) { self.inputs = inputs }
}
