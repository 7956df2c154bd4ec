import ArgumentParser
import ImageLoader
import Linkage
import Reports

#if canImport(Glibc)
import Glibc
#endif

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Say what is unresolved, who provides it, and which link arguments are missing.",
        discussion: """
            All FILEs form one link unit: objects, archives (members pulled in as a linker \
            would), shared objects and AIX import lists. Given only shared objects, each is \
            checked against the libraries it links (DT_NEEDED / loader import modules).

            Providers are tried in order: the inputs, the libraries the image already links, \
            -l/--lib libraries, libpython and its companions (from --python or --pyo3-config), \
            then every library in the -L and default directories (suggestions).

            Platform rules: on Linux the interpreter provides the Python C API (not an error; \
            linking libpython is a warning). On AIX and Android libpython must be linked; on \
            AIX, imports from an import file whose module is "." work only inside python.

            Examples:
              symscan diagnose _demo.o --pyo3-config pyo3-aix.txt
              symscan diagnose build/_speedups.cpython-311-x86_64-linux-gnu.so
              symscan diagnose _demo64.so -L /opt/freeware/lib -l python3.9
              symscan diagnose --format json --embedded app.o

            Exit status: 0 verdict ok, 1 verdict fail, 2 unusable input or bad usage.
            """
    )

    @Argument(help: "Objects, archives, shared objects and import lists of one link.")
    var files: [String] = []

    @Option(name: [.customShort("L")], help: ArgumentHelp("Add a library directory (repeatable).", valueName: "dir"))
    var libraryDirectories: [String] = []

    @Option(name: [.customShort("l")], help: ArgumentHelp("Link a library, as the linker's -l (repeatable; -l :file for an exact name).", valueName: "name"))
    var libraries: [String] = []

    @Option(name: .customLong("lib"), help: ArgumentHelp("Link this library file: shared object, archive or .exp (repeatable).", valueName: "path"))
    var libraryFiles: [String] = []

    @OptionGroup var providers: ProviderOptions

    @Option(help: ArgumentHelp("Module name for the PyInit_<name> check (default: from the file name).", valueName: "name"))
    var moduleName: String?

    @Flag(name: .customLong("brtl"), help: "AIX run-time linking: -l also finds libNAME.so.")
    var runtimeLinking = false

    @Flag(help: "List every unresolved symbol (text output caps each group at 8).")
    var all = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE.") }
    }

    func run() throws {
        var o = DiagnoseOptions(inputs: files)
        o.libraryDirectories = libraryDirectories
        o.libraries = libraries
        o.libraryFiles = libraryFiles
        providers.apply(to: &o)
        o.moduleName = moduleName
        o.runtimeLinking = runtimeLinking
        let result = Diagnoser.run(o)
        let out = OutputBuffer()
        switch format {
        case .json:
            DiagnosisJSON.render(result.diagnosis, errors: result.errors.map { ($0.path, $0.description) }, to: out)
        case .text:
            if let d = result.diagnosis {
                DiagnosisText.render(d, showAll: all, style: TerminalStyle(fd: 1), to: out)
            }
        }
        out.flush()
        Diagnostics.report(result.errors, notes: result.notes)
        if !result.errors.isEmpty || result.diagnosis == nil {
            if result.diagnosis == nil && result.errors.isEmpty {
                Diagnostics.report([InputError(path: files.joined(separator: " "), message: "nothing to diagnose: no object, archive member or shared object among the inputs")])
            }
            throw ExitCode(2)
        }
        if !(result.diagnosis?.verdictOK ?? false) { throw ExitCode(1) }
    }
}

/// The process environment as a dictionary, without Foundation.
enum Environment {
    static func current() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}
