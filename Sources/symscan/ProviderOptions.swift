import ArgumentParser
import Linkage

enum PlatformOption: String, ExpressibleByArgument, CaseIterable {
    case linux, aix, android
}

/// Where providers come from and which platform's rules apply: shared by every command that
/// diagnoses (`diagnose`, `link-line`).
struct ProviderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Python interpreter whose sysconfig names libpython.", valueName: "path"))
    var python: String = "python3"

    @Flag(help: "Do not consider libpython.")
    var noPython = false

    @Option(name: .customLong("pyo3-config"),
            help: ArgumentHelp("Read libpython's location from a PyO3 config file (PYO3_CONFIG_FILE format).", valueName: "file"))
    var pyo3Config: String?

    @Option(help: "Platform rules: linux, aix or android (default: from the inputs).")
    var platform: PlatformOption?

    @Flag(help: "Python is embedded in a program: every Python symbol must resolve.")
    var embedded = false

    @Flag(help: "Do not search the library directories for providers.")
    var noSearch = false

    func validate() throws {
        if noPython && pyo3Config != nil { throw ValidationError("--no-python and --pyo3-config cannot be used together.") }
    }

    func apply(to o: inout DiagnoseOptions) {
        o.python = noPython ? .none : pyo3Config.map { .pyo3Config($0) } ?? .interpreter(python)
        o.platform = platform.flatMap { Platform(rawValue: $0.rawValue) }
        o.embedded = embedded
        o.searchLibraryDirectories = !noSearch
        o.environment = Environment.current()
    }
}
