/// Where libpython's configuration comes from.
public enum PythonSource: Sendable, Equatable {
    /// Run this interpreter and read its sysconfig (`--python`, default `python3`).
    case interpreter(String)
    /// Read a PyO3 configuration file (`--pyo3-config`).
    case pyo3Config(String)
    /// No Python providers (`--no-python`).
    case none
}

/// When undefined symbols are errors.
public enum LinkRule: Sendable, Equatable {
    /// `diagnose`: what fails when the module loads, under the platform's rules.
    case loadTime
    /// The link must resolve everything (an AIX link, ELF `-z defs`, an executable).
    case strict
    /// The linker accepts undefined symbols (AIX `-berok`/`-G`, ELF `-shared`): they are
    /// warnings, since loading can still fail.
    case allowUndefined
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
    /// The target's `_sysconfigdata_*.py` (`--python-sysconfig`): describes the interpreter that
    /// will load the module in a cross build. `PYO3_CROSS_LIB_DIR` in `environment` also names one.
    public var pythonSysconfig: String?
    /// Match the Python C API a Linux module uses against the interpreter's exports
    /// (`python-api-not-exported`). `check` turns it off unless an interpreter is given, since a
    /// wheel's modules are meant for the interpreter its tag names, not for this machine's.
    public var checkInterpreterExports = true
    /// The Stable ABI version the module promises (`--abi3 3.8`, a wheel's `cp38-abi3` tag); nil
    /// means from the file name (`*.abi3.so`: 3.2) or no promise.
    public var abi3Minimum: PythonVersion?
    /// A wheel platform policy to check against (`--policy manylinux_2_17`, a full platform tag,
    /// an alias such as `manylinux2014`, `musllinux_1_2`); see `WheelPolicy`.
    public var policy: String?
    /// A target root (`--sysroot DIR`: an extracted manylinux image, an aarch64 or musl root):
    /// DT_NEEDED, `-l` and the default directories are resolved under it, and a module for
    /// another machine or C library is resolved there instead of being left unchecked.
    public var sysroot: String?
    /// Overrides the platform that the target's format and OS imply.
    public var platform: Platform?
    /// Python is embedded in another program: every Python symbol must resolve, on every platform.
    public var embedded = false
    /// The extension module's name for the `PyInit_<name>` check; from the file name when nil.
    public var moduleName: String?
    /// Whether the module's `PyInit_<name>` is looked for. Off when the exports cannot be
    /// known: a replayed link whose inputs are gone.
    public var checkModuleInit = true
    /// Search the `-L` and default directories for providers of what is still unresolved.
    public var searchLibraryDirectories = true
    /// Where the provider index is cached; nil means `$XDG_CACHE_HOME/symscan`.
    public var providerCacheDirectory: String?
    public var useProviderCache = true
    /// AIX `-brtl`: `-l` also finds `lib*.so`.
    public var runtimeLinking = false
    public var linkRule: LinkRule = .loadTime
    /// Symbols a linker reported undefined (pasted error lines), checked like references of
    /// the inputs, for when the inputs themselves are gone (rustc deletes its temporaries).
    public var extraReferences: [String] = []
    /// `--whole-archive`: every archive member is part of the link.
    public var wholeArchive = false
    /// Report `-l` libraries that provide nothing (a link line's "given but never used").
    public var reportUnusedLibraries = false
    /// AIX: check the TOC size of the linked objects against 64 KiB (`-bbigtoc` given or not).
    public var checkTOC = false
    public var bigTOC = false
    /// The environment (LD_LIBRARY_PATH, LIBPATH) the loader would see.
    public var environment: [String: String] = [:]
    /// Default library directories; nil means the platform's.
    public var defaultDirectories: [String]?
    /// The other members of the wheel the inputs are in: DT_NEEDED is looked up among them
    /// first, through `$ORIGIN` (see `BundledFiles`).
    public var bundle: BundledFiles?
    /// Whether the target is built for musl libc, when something other than the image says
    /// so (a wheel's musllinux/manylinux tag); nil: the image's DT_NEEDED tell.
    public var targetMusl: Bool?
    /// The link goes through a compiler driver (cc, gcc, clang), which searches its own
    /// library directories and takes flags such as -fopenmp; false for ld run directly.
    public var compilerDriver = true
    /// The link is rustc's (or its inputs come from Rust): the fix is also given as RUSTFLAGS
    /// and build-script lines. Rust inputs (`.rlib`, `*.rcgu.o`) say so on their own.
    public var rustBuild = false
    /// `-Wl,-z,defs` / `--no-undefined` as written on an ELF `-shared` link line: where the
    /// interpreter provides the C API (Linux), the fix for Python symbols is to drop them.
    public var noUndefinedOptions: [String] = []

    /// The link's positions in order (a replayed command line's inputs, `-l`, groups, with
    /// `--as-needed`/`-Bstatic`/`--whole-archive` per position); empty: the inputs, then `libraries`.
    public var linkItems: [LinkItem] = []
    /// The compiler driver that runs the link: its start files and default libraries (libc,
    /// libgcc, …) join a Linux link of objects. nil: a bare linker (`diagnose --nostdlib`, `ld`).
    public var driver: DriverCall?
    /// The link's width from its options (AIX `-b32`/`-b64`, `-maix32`/`-maix64`, `OBJECT_MODE`),
    /// for the names a linker reported when the inputs are gone.
    public var linkBits: Int?
    /// The linker that runs the link when no driver says (`ld` called directly).
    public var linker: LinkerFlavour = .bfd

    public init(inputs: [String]) { self.inputs = inputs }
}

/// A compiler driver call: the program (`cc`, `g++`, rustc's `"cc"`) and the flags that change
/// what it adds (`-nostdlib`, `-nodefaultlibs`, `-nolibc`, `-nostartfiles`, `-static-libgcc`, `-pthread`).
public struct DriverCall: Sendable {
    public var program: String
    public var flags: Set<String>
    public var shared: Bool
    public var staticLink: Bool

    public init(program: String = "cc", flags: Set<String> = [], shared: Bool = true, staticLink: Bool = false) {
        self.program = program
        self.flags = flags
        self.shared = shared
        self.staticLink = staticLink
    }
}
