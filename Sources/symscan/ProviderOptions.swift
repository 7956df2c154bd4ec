import ArgumentParser
import Linkage

enum PlatformOption: String, ExpressibleByArgument, CaseIterable {
    case linux, aix, android
}

/// Where `diagnose` and `check` look for the libraries that provide a module's symbols, and
/// which platform's rules apply. Shared, so `check` diagnoses each module as `diagnose` would.
struct ProviderOptions: ParsableArguments {
    @Option(name: [.customShort("L")], help: ArgumentHelp("Add a library directory (repeatable). Example: -L /opt/freeware/lib", valueName: "dir"))
    var libraryDirectories: [String] = []

    @Option(name: [.customShort("l")], help: ArgumentHelp("Link a library, as the linker's -l (repeatable; -l :file for an exact name). Example: -l python3.9", valueName: "name"))
    var libraries: [String] = []

    @Option(name: .customLong("lib"), help: ArgumentHelp("Link this library file: shared object, archive or .exp (repeatable). Example: --lib lib64/libpython3.9.a", valueName: "path"))
    var libraryFiles: [String] = []

    @Option(help: ArgumentHelp("Python interpreter whose sysconfig names libpython. Example: --python /usr/bin/python3.11", valueName: "path"))
    var python: String = "python3"

    @Flag(help: "Do not consider libpython.")
    var noPython = false

    @Option(name: .customLong("pyo3-config"), help: ArgumentHelp("Read libpython's location from a PyO3 config file (PYO3_CONFIG_FILE format). Example: --pyo3-config pyo3-aix.cfg", valueName: "file"))
    var pyo3Config: String?

    @Option(help: "Platform rules: linux, aix or android (default: from the inputs). Example: --platform aix")
    var platform: PlatformOption?

    @Flag(help: "Python is embedded in a program: every Python symbol must resolve.")
    var embedded = false

    @Flag(help: "Do not search the library directories for providers.")
    var noSearch = false

    @Flag(name: .customLong("brtl"), help: "AIX run-time linking: -l also finds libNAME.so.")
    var runtimeLinking = false

    func validate() throws {
        if noPython && pyo3Config != nil { throw ValidationError("--no-python and --pyo3-config cannot be used together.") }
    }

    /// The options for Diagnoser, for `inputs`.
    func diagnoseOptions(inputs: [String]) -> DiagnoseOptions {
        var o = DiagnoseOptions(inputs: inputs)
        o.libraryDirectories = libraryDirectories
        o.libraries = libraries
        o.libraryFiles = libraryFiles
        o.python = noPython ? .none : pyo3Config.map { .pyo3Config($0) } ?? .interpreter(python)
        o.platform = platform.flatMap { Platform(rawValue: $0.rawValue) }
        o.embedded = embedded
        o.searchLibraryDirectories = !noSearch
        o.runtimeLinking = runtimeLinking
        o.environment = Environment.current()
        return o
    }
}
