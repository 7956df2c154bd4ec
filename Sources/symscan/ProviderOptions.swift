import ArgumentParser
import Linkage

enum PlatformOption: String, ExpressibleByArgument, CaseIterable {
    case linux, aix, android
}

/// Where providers come from and which platform's rules apply: shared by every command that
/// diagnoses (`diagnose`, `link-line`).
struct ProviderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Python interpreter that will load the module: its sysconfig names libpython, and on Linux the C API the module uses must be among its exports (default: python3; check: none unless given). Example: --python /usr/bin/python3.11", valueName: "path"))
    var python: String?

    @Option(name: .customLong("python-sysconfig"),
            help: ArgumentHelp("The target interpreter's _sysconfigdata_*.py (a cross build; PYO3_CROSS_LIB_DIR is also read): its libpython's exports are checked. Example: --python-sysconfig sysroot/usr/lib/python3.12/_sysconfigdata__linux_aarch64-linux-gnu.py", valueName: "file"))
    var pythonSysconfig: String?

    @Flag(help: "Do not consider libpython.")
    var noPython = false

    @Option(name: .customLong("pyo3-config"),
            help: ArgumentHelp("Read libpython's location from a PyO3 config file (PYO3_CONFIG_FILE format). Example: --pyo3-config pyo3-aix.cfg", valueName: "file"))
    var pyo3Config: String?

    @Option(help: "Platform rules: linux, aix or android (default: from the inputs). Example: --platform aix")
    var platform: PlatformOption?

    @Option(name: .customLong("abi3"),
            help: ArgumentHelp("The module promises CPython's Stable ABI from this version (as a cpXY-abi3 wheel tag does; a bare *.abi3.so is held only to names outside the Stable ABI): newer or other Python symbols are abi3-violation errors. Example: --abi3 3.8", valueName: "3.X"))
    var abi3: String?

    @Option(help: ArgumentHelp("Check against a wheel platform policy (auditwheel's): symbol-version ceilings per library and the allowed system libraries. A policy name (architecture from the module), a full platform tag or an alias. Example: --policy manylinux_2_17, --policy manylinux_2_28_aarch64, --policy manylinux2014, --policy musllinux_1_2", valueName: "tag"))
    var policy: String?

    @Option(help: ArgumentHelp("A target root (an extracted manylinux image, an aarch64 or musl root): DT_NEEDED, run paths and the default library directories are resolved under it. Without it, a module for another machine or C library is not resolved against this machine's libraries. Example: --sysroot /srv/aarch64-root", valueName: "dir"))
    var sysroot: String?

    @Flag(help: "Python is embedded in a program: every Python symbol must resolve.")
    var embedded = false

    @Flag(help: "Do not search the library directories for providers.")
    var noSearch = false

    func validate() throws {
        if noPython && pyo3Config != nil { throw ValidationError("--no-python and --pyo3-config cannot be used together.") }
        if let policy, !["x86-64", "aarch64", "i386", "powerpc64", "s390", "arm", "riscv", "loongarch"].contains(where: { WheelPolicy.named(policy, machine: $0) != nil }) {
            throw ValidationError("--policy: no manylinux, musllinux or Android policy named '\(policy)'.")
        }
        if let abi3, PythonVersion(abi3) == nil { throw ValidationError("--abi3 takes a Python version 3.X, not '\(abi3)'.") }
    }

    func apply(to o: inout DiagnoseOptions) {
        o.python = noPython ? .none : pyo3Config.map { .pyo3Config($0) } ?? .interpreter(python ?? "python3")
        o.pythonSysconfig = pythonSysconfig
        o.abi3Minimum = abi3.flatMap { PythonVersion($0) }
        o.policy = policy
        o.sysroot = sysroot
        // Explicitly named interpreters are checked everywhere; `check` turns the default off.
        o.checkInterpreterExports = true
        o.platform = platform.flatMap { Platform(rawValue: $0.rawValue) }
        o.embedded = embedded
        o.searchLibraryDirectories = !noSearch
        o.environment = Environment.current()
    }
}
