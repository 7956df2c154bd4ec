import ArgumentParser
import Check
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
            All FILEs form one link unit, replayed left to right as GNU ld reads it: objects, \
            archives (a member pulled in only for what is undefined at that point), shared \
            objects and AIX import lists, then the -l/--lib libraries. Objects are assumed to be \
            linked by the compiler driver (cc -### says what it adds: start files, libc, \
            libgcc); --nostdlib turns that off. Given only shared objects, each is diagnosed on \
            its own against the libraries it links (DT_NEEDED / loader import modules), with its \
            own verdict and a summary.

            Providers are tried in order: the inputs, the libraries the image already links, \
            -l/--lib libraries, libpython and its companions (from --python or --pyo3-config), \
            then every library in the -L and default directories (suggestions: never an \
            interposer or sanitizer runtime, nor a library that re-exports the name from one it \
            links; the library already suggested, the C/C++ runtime's, the one providing the \
            most, the development name first; -fopenmp for libgomp; no -L for a directory the \
            linker searches anyway).

            Platform rules: on Linux the interpreter provides the Python C API (not an error; \
            linking libpython is a warning). On AIX and Android libpython must be linked; on \
            AIX, imports from an import file whose module is "." work only inside python.

            Examples:
              symscan diagnose demo64.o --pyo3-config pyo3-aix.cfg
              symscan diagnose build/_speedups.cpython-311-x86_64-linux-gnu.so
              symscan diagnose _demo64.so -L /opt/freeware/lib -l python3.9
              symscan diagnose --format json --embedded app.o
              symscan diagnose --format sarif --output diagnose.sarif _demo.so
              symscan diagnose 'dist/x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl!x/_m.so'

            A wheel (x.whl: each module in it, on its own) or a wheel member (x.whl!pkg/_m.so, \
            as check prints it) is diagnosed as check diagnoses it, DT_NEEDED looked up inside \
            the wheel first; it is the only FILE. JSON holds one diagnosis: name one member \
            when the wheel has several modules.

            Exit status: 0 verdict ok, 1 verdict fail, 2 unusable input or bad usage.
            """
    )

    @Argument(help: "Objects, archives, shared objects and import lists of one link.")
    var files: [String] = []

    @OptionGroup var libraries: LibraryOptions

    @OptionGroup var providers: ProviderOptions

    @Flag(name: .customLong("nostdlib"), help: "Objects are linked by ld alone: leave out what a compiler driver (cc) adds to a Linux link (start files, libc, libgcc, libgcc_s).")
    var noStandardLibraries = false

    @Option(help: ArgumentHelp("Module name for the PyInit_<name> check (default: from the file name).", valueName: "name"))
    var moduleName: String?

    @OptionGroup var report: DiagnosisOutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE.") }
        if files.count > 1, files.contains(where: { WheelInput.parse($0) != nil }) {
            throw ValidationError("a wheel (x.whl or x.whl!member) is diagnosed on its own: give it as the only FILE.")
        }
    }

    func run() throws {
        if files.count == 1, WheelInput.parse(files[0]) != nil { return try runWheel(files[0]) }
        var o = DiagnoseOptions(inputs: files)
        libraries.apply(to: &o)
        providers.apply(to: &o)
        o.moduleName = moduleName
        // Objects are linked by a compiler driver, which adds libc and libgcc (ELF targets only).
        if !noStandardLibraries { o.driver = DriverCall() }
        let result = Diagnoser.run(o)
        try report.emit(result, command: "diagnose", subject: files.first ?? "")
        Diagnostics.report(result.errors, notes: result.notes)
        if !result.errors.isEmpty || result.diagnosis == nil {
            if result.diagnosis == nil && result.errors.isEmpty {
                Diagnostics.report([InputError(path: files.joined(separator: " "), message: "nothing to diagnose: no object, archive member or shared object among the inputs")])
            }
            throw ExitCode(2)
        }
        if !(result.diagnosis?.verdictOK ?? false) { throw ExitCode(1) }
    }

    /// `x.whl` or `x.whl!member`: each module diagnosed as `check` does, in the formats of
    /// `diagnose` (text: one diagnosis after another; JSON: exactly one).
    func runWheel(_ path: String) throws {
        var o = DiagnoseOptions(inputs: [])
        libraries.apply(to: &o)
        providers.apply(to: &o)
        o.moduleName = moduleName
        let wheel = WheelInput.diagnose(path, options: o)
        if report.format == .json && wheel.modules.count > 1 {
            Diagnostics.lines(["\(path): \(wheel.modules.count) modules; JSON holds one diagnosis: name one (or use check --format json): "
                               + wheel.modules.map(\.path).joined(separator: " ")])
            throw ExitCode(2)
        }
        try ReportOutput.emit(to: report.outputFile) { out in
            let style = report.outputFile == nil ? TerminalStyle(fd: 1) : TerminalStyle(enabled: false)
            switch report.format {
            case .json:
                let m = wheel.modules.first
                DiagnosisJSON.render(m?.diagnosis, errors: (wheel.errors + (m?.errors ?? [])).map { ($0.path, $0.message) }, to: out)
            case .text:
                for (i, m) in wheel.modules.enumerated() {
                    if wheel.modules.count > 1 { out.write("\(i == 0 ? "" : "\n")== \(m.path)\n") }
                    if let d = m.diagnosis { DiagnosisText.render(d, showAll: report.all, style: style, to: out) }
                }
            case .sarif: SARIFReport.render(wheel, version: Symscan.configuration.version, to: out)
            case .junit: JUnitReport.render(wheel, to: out)
            case .github: GitHubReport.render(wheel, to: out)
            }
        }
        var seen = Set<String>()
        Diagnostics.report([], notes: (wheel.notes + wheel.modules.flatMap(\.notes)).filter { seen.insert($0).inserted })
        Diagnostics.report(wheel.errors + wheel.modules.flatMap(\.errors))
        if wheel.exitStatus != 0 { throw ExitCode(wheel.exitStatus) }
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
