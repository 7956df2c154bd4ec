/// Every finding symscan can report, defined once. The raw value is the public, stable id
/// (JSON `findings[].id`, SARIF rule ids, baselines, allow-lists); the README's findings table,
/// the schema's enumeration and SARIF's `tool.driver.rules` are checked against this list
/// (FindingCatalogueTests), so a new case must be documented to pass the tests.
public enum FindingID: String, CaseIterable, Sendable, Comparable {
    case unresolvedSymbols = "unresolved-symbols"
    case libpythonNotLinked = "libpython-not-linked"
    case pythonAPIFromInterpreter = "python-api-from-interpreter"
    case linksLibpython = "links-libpython"
    case androidLibpythonNotNeeded = "android-libpython-not-needed"
    case importsFromMainProgram = "imports-from-main-program"
    case missingPyInit = "missing-pyinit"
    case mixedXCOFFWidth = "mixed-xcoff-width"
    case archiveMemberSkipped = "archive-member-skipped"
    case weakUnresolved = "weak-unresolved"
    case neededLibraryNotFound = "needed-library-not-found"
    case moduleLacksSymbol = "module-lacks-symbol"
    case linkedModuleNotFound = "linked-module-not-found"
    case libraryNotFound = "library-not-found"
    case libraryUnusable = "library-unusable"
    case libpythonNotFound = "libpython-not-found"
    case pythonNotFound = "python-not-found"
    case pythonConfigUnreadable = "python-config-unreadable"
    // From link-line's replay of a link command.
    case tocOverflow = "toc-overflow"
    case elfOptionOnAIX = "elf-option-on-aix"
    case unusedLibrary = "unused-library"
    case libraryOrder = "library-order"
    case unknownOptions = "unknown-options"
    case aixSharedWithoutNoentry = "aix-shared-without-noentry"
    // From check's reading of wheels.
    case wheelPlatformMismatch = "wheel-platform-mismatch"
    // From link-line: the advice for -z defs, the target's system libraries.
    case noUndefinedExtension = "no-undefined-extension"
    case targetSystemLibrary = "target-system-library"
    // From loading: symbol versions, the interpreter, the Stable ABI, wheel platform policies.
    case versionNotFound = "version-not-found"
    case pythonAPINotExported = "python-api-not-exported"
    case pythonAPINotChecked = "python-api-not-checked"
    case abi3Violation = "abi3-violation"
    case symbolVersionTooNew = "symbol-version-too-new"
    case libraryNotAllowed = "library-not-allowed"
    case policyMachineMismatch = "policy-machine-mismatch"
    case policyUnknown = "policy-unknown"
    case foreignTargetNotResolved = "foreign-target-not-resolved"
    case needsRunpath = "needs-runpath"
    case extensionSuffixMismatch = "extension-suffix-mismatch"

    /// Catalogue order (SARIF rule indices follow it, so they stay stable across runs).
    public static func < (a: FindingID, b: FindingID) -> Bool { a.index < b.index }
    public var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The severity most findings of this id have; some ids are raised or lowered by context
    /// (`missing-pyinit` is always an error, `imports-from-main-program` is one only with
    /// `--embedded`), and the finding carries its own.
    public var defaultSeverity: Severity { entry.severity }
    /// One line: what the finding means.
    public var summary: String { entry.summary }
    /// What to do about it (SARIF `help`, the README's table).
    public var help: String { entry.help }

    private typealias Entry = (severity: Severity, summary: String, help: String)
    // A switch, so that the compiler refuses a case without its entry.
    private var entry: Entry {
        switch self {
        case .unresolvedSymbols: (.error, "Symbols that no input, linked library or given library provides",
                             "Link the library that provides them (the missing link arguments), or add the object that defines them.")
        case .libpythonNotLinked: (.error, "Python C API symbols are unresolved where libpython must be linked (AIX, Android, embedded Python)",
                              "Link libpython (-L<libdir> -lpythonX.Y and its LIBS) or, on AIX, import it with -bI:python.exp.")
        case .pythonAPIFromInterpreter: (.note, "Python C API symbols left for the interpreter to provide at import time (Linux)",
                                    "Nothing to do: on Linux the interpreter provides the C API when it imports the module.")
        case .linksLibpython: (.warning, "A Linux extension module links libpython (manylinux forbids it)",
                          "Drop -lpythonX.Y from the link: the interpreter provides the C API.")
        case .androidLibpythonNotNeeded: (.error, "An Android extension module uses the Python C API but has no DT_NEEDED libpython",
                                     "Link libpython (-lpythonX.Y): Android's loader resolves each library's symbols from its own DT_NEEDED.")
        case .importsFromMainProgram: (.warning, "Python symbols are imported from the main program (#! . import file): fails when Python is embedded",
                                  "Link libpython instead of -bI:python.exp if the module must load in a program that embeds Python.")
        case .missingPyInit: (.error, "The module does not export PyInit_<name>, so Python cannot import it",
                         "Export PyInit_<name> matching the file name (on AIX, -bE: an export list or -bexpall).")
        case .mixedXCOFFWidth: (.error, "32- and 64-bit XCOFF inputs are mixed in one link",
                           "Rebuild every input for one width (OBJECT_MODE=64, or -maix64/-q64).")
        case .archiveMemberSkipped: (.note, "An archive member that defines an unresolved symbol is built for another target, so the linker skips it",
                                "Use the archive (or member) built for the link's target.")
        case .weakUnresolved: (.note, "Weak references stay unresolved (they resolve to 0)",
                          "Nothing to do unless the code calls them without checking for null.")
        case .neededLibraryNotFound: (.error, "A DT_NEEDED library is not found by the loader's search",
                                 "Install the library, bundle it with the module, or add its directory to the RPATH.")
        case .moduleLacksSymbol: (.error, "A linked AIX module does not export a symbol imported from it (rtld: 0712-001)",
                             "Link against the library version that exports the symbol.")
        case .linkedModuleNotFound: (.note, "A linked AIX module is not on this machine; its imports are not checked again",
                                "Give the module with --lib or -L to check its imports.")
        case .libraryNotFound: (.error, "An -l library is not found in the library directories",
                           "Install the library or add its directory with -L.")
        case .libraryUnusable: (.warning, "A given library has nothing the target can link with",
                           "Give a library built for the link's target (format, width and machine).")
        case .libpythonNotFound: (.note, "The Python configuration names a libpython that is not there for this target",
                             "Point --python or --pyo3-config at the target's interpreter, or give the library with --lib.")
        case .pythonNotFound: (.note, "No Python interpreter to read sysconfig from",
                          "Give --python PATH or --pyo3-config FILE.")
        case .pythonConfigUnreadable: (.error, "The PyO3 configuration file cannot be read",
                                  "Fix the path or the contents of the PyO3 configuration file.")
        case .tocOverflow: (.error, "The AIX TOC is over 64 KiB without -bbigtoc (ld: 0711-781)",
                       "Add -bbigtoc to the link.")
        case .elfOptionOnAIX: (.error, "An ELF-only linker option on an AIX link (ld: 0706-012)",
                          "Drop the option or use its AIX equivalent (the finding names it).")
        case .unusedLibrary: (.note, "An -l library provides nothing to the link",
                         "Drop it from the link unless it is needed at run time.")
        case .libraryOrder: (.error, "A library comes before the inputs that need it, so the linker does not use it for them",
                        "Put the library after the objects that need it (the missing link arguments repeat it for the end of the line).")
        case .unknownOptions: (.note, "Link options symscan does not model",
                          "Nothing to do; the verdict does not take these options into account.")
        case .aixSharedWithoutNoentry: (.note, "An AIX shared object linked without -bnoentry",
                                   "Add -bnoentry: an extension module has no entry point.")
        case .wheelPlatformMismatch: (.error, "A wheel's module is built for another machine than the wheel's platform tag names",
                                 "Build the module for the machine the tag names, or tag the wheel for the machine it is built for.")
        case .noUndefinedExtension: (.error, "A Linux extension module linked with -z defs/--no-undefined: its Python symbols fail the link",
                                "Drop -z defs/--no-undefined (the interpreter provides the C API at import); never link libpython.")
        case .targetSystemLibrary: (.note, "-l system libraries of the target platform (AIX) that are not on this machine, trusted as the target's",
                               "Nothing to do: the target's linker finds them in its system directories.")
        case .versionNotFound: (.error, "A needed symbol version is not defined by the library the loader finds (version `X' not found)",
                            "Build against the library version the target has (an older toolchain or manylinux image), or ship the newer library.")
        case .pythonAPINotExported: (.error, "The interpreter that will load the module does not export a Python C API symbol it uses (undefined symbol at import)",
                                 "Build against the headers of the interpreter that loads the module (same version and build: debug, free-threaded).")
        case .pythonAPINotChecked: (.note, "No interpreter could be read, so the Python C API symbols were not checked against its exports",
                                "Give --python, --pyo3-config or --python-sysconfig to check them.")
        case .abi3Violation: (.error, "A Stable ABI (abi3) module uses a symbol outside the Stable ABI or added after its minimum version",
                          "Use only Stable ABI functions of the minimum version (Py_LIMITED_API), or raise the wheel's abi3 minimum.")
        case .symbolVersionTooNew: (.error, "The module needs a symbol version newer than the wheel platform policy allows (GLIBC, GLIBCXX, CXXABI, GCC)",
                                "Build in the policy's image (e.g. manylinux2014 for manylinux_2_17) or tag the wheel for a newer policy.")
        case .libraryNotAllowed: (.error, "The module needs a system library the wheel platform policy does not allow",
                              "Bundle the library into the wheel (auditwheel repair) or link it statically.")
        case .policyMachineMismatch: (.error, "The module is for another architecture than the platform tag",
                                  "Build the module for the tag's architecture, or use the tag of the architecture it is built for.")
        case .policyUnknown: (.error, "No platform policy of the given name for the module's architecture",
                          "Give a policy name auditwheel knows (manylinux_2_17, manylinux2014, musllinux_1_2, ...).")
        case .foreignTargetNotResolved: (.note, "A module for another machine or C library is not resolved against this machine's libraries (give --sysroot)",
                                     "Give --sysroot DIR with a root of the target (an extracted image) to check what it links.")
        case .needsRunpath: (.warning, "A library the fix links is not where the loader's search finds its soname: add -Wl,-rpath,DIR",
                         "Add the -Wl,-rpath,DIR the missing link arguments name (or install the library where the loader looks).")
        case .extensionSuffixMismatch: (.error, "The module's file name suffix is not one the interpreter imports, or its tag names another machine",
                                    "Name the module with the interpreter's EXT_SUFFIX (python3 -c 'import sysconfig; print(sysconfig.get_config_var(\"EXT_SUFFIX\"))').")
        }
    }
}
