import ArgumentParser
import Check
import Linkage
import Reports

enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning

    var severity: Severity { self == .error ? .error : .warning }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "CI gate: diagnose every extension module under the given paths; exit 1 on new problems.",
        discussion: """
            Finds the extension modules under each PATH (directories recursively, in name \
            order): files named *.so (which covers *.abi3.so and *.cpython-*.so); AIX archives \
            (*.a), lib*.so files and other ELF/XCOFF files only if they hold a shared object \
            exporting PyInit_<name> (or exactly one PyInit_*); the same inside wheels (*.whl, \
            read as zip archives in memory, never unpacked; reported as \
            dist/x.whl!pkg/_mod.so). *.pyd files (Windows) are skipped with a note. A file \
            named as a PATH is always diagnosed. Each module is diagnosed on its own, as \
            `symscan diagnose MODULE` would with the same provider options, in parallel on all \
            cores; the report lists the modules in a stable order.

            A module fails when it has a finding at or above --fail-on (default: error). \
            --allow accepts symbols by glob: findings whose symbols are all allowed drop out. \
            --baseline accepts exactly what a previous --write-baseline recorded (per module \
            key, finding id and symbol names), so only new problems fail. A module's key is \
            its path relative to its PATH when one PATH is given, its path as reported \
            (starting with the PATH as given) when several are; a baseline matches runs given \
            the same PATHs. A wheel is named in keys without its version and build tag \
            (mypkg-cp311-cp311-manylinux_2_17_x86_64.whl!mypkg/_x.so), so a baseline still \
            holds for the next release. Modules that would share a key (the same directory \
            given twice, two releases of one wheel) are refused with --baseline and \
            --write-baseline (exit 2).

            Progress (files done / total) is shown on stderr when it is a terminal, unless \
            --quiet.

            Examples:
              symscan check build/lib
              symscan check dist/mypkg-1.0-cp311-cp311-manylinux_2_28_x86_64.whl
              symscan check --pyo3-config pyo3-aix.cfg build/aix/
              symscan check --format sarif --output symscan.sarif build/
              symscan check --allow '__gmon_start__' --allow 'omp_*' build/
              symscan check --write-baseline base.json build/
              symscan check --baseline base.json --format junit --output j.xml build/
              symscan check --format github --fail-on warning dist/

            Exit status: 0 no module fails, 1 a module has a finding at or above --fail-on, \
            2 an input could not be used (a missing path, a damaged file or wheel, no module \
            found) or bad usage.
            """
    )

    @Argument(help: ArgumentHelp("Files, directories and wheels to scan. Example: build/lib dist/x.whl", valueName: "path"))
    var paths: [String] = []

    @OptionGroup(title: "Libraries (as for diagnose, applied to every module)")
    var libraryOptions: LibraryOptions

    @OptionGroup(title: "Providers and platform (as for diagnose)")
    var providers: ProviderOptions

    @Option(name: .customLong("fail-on"), help: "Lowest severity that fails the gate: error or warning. Example: --fail-on warning")
    var failOn: FailOn = .error

    @Option(name: .customLong("allow"), help: ArgumentHelp("Accept symbols matching this glob (fnmatch: * ? [...]; repeatable). Example: --allow '_ITM_*'", valueName: "glob"))
    var allow: [String] = []

    @Option(help: ArgumentHelp("Accept what this baseline file records. Example: --baseline symscan-baseline.json", valueName: "file"))
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Record the current findings at or above --fail-on in this file, then accept them (exit 0 unless an input is unusable). Example: --write-baseline symscan-baseline.json", valueName: "file"))
    var writeBaseline: String?

    @Option(help: "Output format: text, json, sarif (SARIF 2.1.0), junit (JUnit XML) or github (workflow commands). Example: --format junit")
    var format: ReportFormat = .text

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report to this file instead of standard output, atomically (a temporary file renamed into place). Example: --output symscan.sarif", valueName: "file"))
    var outputFile: String?

    @Flag(name: [.customShort("q"), .long], help: "No progress line on stderr, and no summary line when writing --output.")
    var quiet = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH (a file, directory or wheel).") }
    }

    func run() throws {
        var baselineFile: Baseline?
        if let path = baseline {
            do {
                baselineFile = try Baseline.read(path: path, severalRoots: paths.count > 1)
            } catch {
                fail("\(error)")
            }
        }
        let finder = ModuleFinder(roots: paths)
        if finder.candidates.isEmpty && finder.errors.isEmpty {
            // With one PATH the per-PATH note would say what the error says.
            if paths.count > 1 { Diagnostics.report([], notes: finder.notes) }
            fail("no extension modules found under \(paths.joined(separator: " "))")
        }
        if baseline != nil || writeBaseline != nil {
            // One module's recorded findings would accept the other's: refused before any work.
            let shared = finder.sharedKeys
            if !shared.isEmpty {
                let err = OutputBuffer(fd: 2)
                for s in shared {
                    err.write("symscan: \(s.key): baseline key shared by \(s.paths.count) modules: \(s.paths.joined(separator: ", "))\n")
                }
                err.flush()
                fail("a baseline cannot tell modules that share a key apart: give each directory once, and one release of each wheel")
            }
        }
        var diagnoseOptions = DiagnoseOptions(inputs: [])
        libraryOptions.apply(to: &diagnoseOptions)
        providers.apply(to: &diagnoseOptions)
        // A wheel's modules are for the interpreter their tag names, not this machine's python3.
        diagnoseOptions.checkInterpreterExports = providers.python != nil || providers.pythonSysconfig != nil
            || providers.pyo3Config != nil
        let options = GateOptions(diagnose: diagnoseOptions, failOn: failOn.severity,
                                  filter: FindingFilter(allow: AllowList(allow), baseline: baselineFile))
        let progress = ProgressLine.make(quiet: quiet)
        var callback: (@Sendable (Int, Int, String) -> Void)?
        if let progress {
            callback = { done, total, path in progress.update(done: done, total: total, path: path) }
        }
        var report = Gate.run(finder, options: options, progress: callback)
        progress?.finish()
        if report.modules.isEmpty && report.errors.isEmpty {
            // Every candidate turned out to be a library, not a module.
            Diagnostics.report([], notes: report.notes)
            fail("no extension modules found under \(paths.joined(separator: " "))")
        }

        if let path = writeBaseline {
            let recorded = Baseline(recording: report.modules, threshold: failOn.severity)
            let text = recorded.render()
            do {
                try ReportFile.write(path: path) { $0.write(text) }
            } catch {
                fail("\(error)")
            }
            // Accept what was just recorded, as the next run with --baseline will.
            let filter = FindingFilter(allow: AllowList([]), baseline: recorded)
            for i in report.modules.indices { filter.apply(to: &report.modules[i]) }
        }

        let final = report
        try ReportOutput.emit(to: outputFile) { out in
            switch format {
            case .text: CheckText.render(final, style: outputFile == nil ? TerminalStyle(fd: 1) : TerminalStyle(enabled: false), to: out)
            case .json: CheckJSON.render(final, to: out)
            case .sarif: SARIFReport.render(final, version: Symscan.configuration.version, to: out)
            case .junit: JUnitReport.render(final, to: out)
            case .github: GitHubReport.render(final, to: out)
            }
        }
        Diagnostics.report([], notes: report.notes + report.modules.flatMap { $0.notes })
        let stderr = OutputBuffer(fd: 2)
        for e in report.errors + report.modules.flatMap({ $0.errors }) { stderr.write("symscan: \(e.path): \(e.message)\n") }
        if let outputFile, !quiet {
            stderr.write("symscan: wrote \(format.rawValue) report to \(outputFile): \(CheckText.summary(final))\n")
        }
        stderr.flush()
        let status = final.exitStatus
        if status != 0 { throw ExitCode(status) }
    }

    private func fail(_ message: String) -> Never {
        let err = OutputBuffer(fd: 2)
        err.write("symscan: \(message)\n")
        err.flush()
        Symscan.exit(withError: ExitCode(2))
    }
}
