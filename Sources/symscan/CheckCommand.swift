import ArgumentParser
import Check
import Linkage
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// Which findings become GitHub annotations and SARIF results.
enum Annotate: String, ExpressibleByArgument, CaseIterable {
    /// Errors and warnings: what needs a person.
    case warnings
    /// Notes too (expected behaviour, such as the C API left to the interpreter).
    case notes
}

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
            named as a PATH is always diagnosed. A module's DT_NEEDED is looked up first \
            inside its wheel, through its $ORIGIN RPATH/RUNPATH entries taken from the \
            module's directory in the wheel; libraries under *.libs/ or .dylibs/ (bundled by \
            auditwheel or delocate) are providers, not modules, and are listed. Wheels for \
            macOS or Windows are noted as not checked (an error with --require-all); a module \
            built for another machine than its wheel's tag names fails \
            (wheel-platform-mismatch), and one built for another machine than this one is not \
            resolved against this machine's libraries (one note says so). Each module is diagnosed on its own, as \
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

            Stale baseline entries (findings it records that are gone) are listed, and fail \
            the gate with --fail-on-stale; --baseline F --write-baseline F updates F (creating \
            it), dropping them. Keys are compared spelled one way (./build/ = build).

            Each failing module's report says what fixes it: the missing link arguments \
            (fix: -lz -lm), the providers of its unresolved symbols, or what to do instead; \
            in text, JSON, SARIF, JUnit and GitHub output alike. --format github annotates \
            each module once, errors and warnings only unless --annotate notes, at most 10 \
            per kind (GitHub's limit per step; the rest are counted and logged).

            Progress (the walk's count, then modules done / total) is shown on stderr at \
            once when it is a terminal, unless --quiet.

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

    @Option(help: "Findings that become GitHub annotations (--format github) and SARIF results: warnings (errors and warnings, the default) or notes (everything). Example: --annotate notes")
    var annotate: Annotate = .warnings

    @Flag(name: .customLong("fail-on-stale"), help: "Fail (exit 1) when the baseline records a finding that is gone (a stale entry, which would accept the problem again unnoticed); without it, stale entries are listed. Example: --fail-on-stale")
    var failOnStale = false

    @Flag(name: .customLong("require-all"), help: "Fail (exit 2) on a wheel symscan cannot read (macOS, Windows) instead of noting it as not checked. Example: --require-all")
    var requireAll = false

    @Flag(name: .customLong("only-failures"), help: "Text output: only the modules that fail (or cannot be read), then the summary. Example: --only-failures")
    var onlyFailures = false

    @Flag(name: [.customShort("q"), .long], help: "No progress line on stderr, and no summary line when writing --output.")
    var quiet = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH (a file, directory or wheel).") }
    }

    func run() throws {
        var baselineFile: Baseline?
        if let path = baseline {
            if path == writeBaseline && access(path, F_OK) != 0 {
                baselineFile = Baseline()  // updating a baseline that does not exist yet: create it
            } else {
                do {
                    baselineFile = try Baseline.read(path: path, severalRoots: paths.count > 1)
                } catch {
                    fail("\(error)")
                }
            }
        }
        let progress = ProgressLine.make(quiet: quiet)
        let finder = ModuleFinder(roots: paths, walked: progress.map { p in { files, found, path in p.walking(files: files, candidates: found, path: path) } })
        progress?.finish()
        if finder.candidates.isEmpty && finder.errors.isEmpty && finder.notChecked.isEmpty {
            // With one PATH the per-PATH note would say what the error says.
            if paths.count > 1 { Diagnostics.report([], notes: finder.notes) }
            fail("no extension modules found under \(paths.joined(separator: " "))")
        }
        if baseline != nil || writeBaseline != nil {
            // One module's recorded findings would accept the other's: refused before any work.
            let shared = finder.sharedKeys
            if !shared.isEmpty {
                Diagnostics.lines(shared.map { "\($0.key): baseline key shared by \($0.paths.count) modules: \($0.paths.joined(separator: ", "))" })
                fail("a baseline cannot tell modules that share a key apart: give each directory once, and one release of each wheel")
            }
        }
        var diagnoseOptions = DiagnoseOptions(inputs: [])
        libraryOptions.apply(to: &diagnoseOptions)
        providers.apply(to: &diagnoseOptions)
        // A wheel's modules are for the interpreter their tag names, not this machine's python3.
        diagnoseOptions.checkInterpreterExports = providers.python != nil || providers.pythonSysconfig != nil
            || providers.pyo3Config != nil
        // The baseline is applied after the run, to the findings --allow leaves: what it no
        // longer matches is stale, and an update records today's findings, not what is left.
        var options = GateOptions(diagnose: diagnoseOptions, failOn: failOn.severity,
                                  filter: FindingFilter(allow: AllowList(allow), baseline: nil))
        options.requireAll = requireAll
        var callback: (@Sendable (Int, Int, String) -> Void)?
        if let progress {
            callback = { done, total, path in progress.update(done: done, total: total, path: path) }
        }
        var report = Gate.run(finder, options: options, progress: callback)
        progress?.finish()
        if report.modules.isEmpty && report.errors.isEmpty && finder.notChecked.isEmpty {
            // Every candidate turned out to be a library, not a module.
            Diagnostics.report([], notes: report.notes)
            fail("no extension modules found under \(paths.joined(separator: " "))")
        }

        var accepted = baselineFile
        var earlyNotes: [String] = []
        if let b = baselineFile, let path = baseline {
            report.staleBaseline = b.stale(report.modules)
            if !b.modules.isEmpty && !b.matchesAny(report.modules) {
                Diagnostics.say("warning: the baseline \(path) matches no module of this run: are the PATHs given as when it was written? (it records \(FindingFilter.list(b.modules.keys.sorted(), limit: 3)))")
            }
        }
        if let path = writeBaseline {
            let recorded = Baseline(recording: report.modules, threshold: failOn.severity)
            let text = recorded.render()
            do {
                try ReportFile.write(path: path) { $0.write(text) }
            } catch {
                fail("\(error)")
            }
            // The update drops what is stale: said once, and no longer a failure.
            earlyNotes += report.staleBaseline.map { "\(path): dropped a stale entry: \($0)" }
            report.staleBaseline = []
            // Accept what was just recorded, as the next run with --baseline will.
            accepted = recorded
        }
        if let accepted {
            let filter = FindingFilter(allow: AllowList([]), baseline: accepted)
            for i in report.modules.indices { filter.apply(to: &report.modules[i]) }
        }
        report.failOnStale = failOnStale
        report.notes = earlyNotes + report.notes

        let final = report
        // Notes and unusable inputs first, so that on a terminal (stderr and stdout together)
        // the report's summary line is the last thing printed.
        // Notes said per module alike (another machine's libraries not checked) are said once.
        var seen = Set<String>()
        Diagnostics.report([], notes: (report.notes + report.modules.flatMap { $0.notes }).filter { seen.insert($0).inserted })
        Diagnostics.report(report.errors + report.modules.flatMap { $0.errors })
        try ReportOutput.emit(to: outputFile) { out in
            switch format {
            case .text: CheckText.render(final, style: outputFile == nil ? TerminalStyle(fd: 1) : TerminalStyle(enabled: false), onlyFailures: onlyFailures, to: out)
            case .json: CheckJSON.render(final, to: out)
            case .sarif: SARIFReport.render(final, version: Symscan.configuration.version, notes: annotate == .notes, to: out)
            case .junit: JUnitReport.render(final, to: out)
            case .github: GitHubReport.render(final, notes: annotate == .notes, outputHint: outputFile, to: out)
            }
        }
        if let outputFile, !quiet {
            Diagnostics.say("wrote \(format.rawValue) report to \(outputFile): \(CheckText.summary(final))")
        }
        let status = final.exitStatus
        if status != 0 { throw ExitCode(status) }
    }

    private func fail(_ message: String) -> Never {
        Diagnostics.say(message)
        Symscan.exit(withError: ExitCode(2))
    }
}
