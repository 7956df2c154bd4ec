import ArgumentParser
import Linkage
import Reports

/// How a diagnosis is reported (`--format`, `--output`, `--all`): one option group for every
/// command that diagnoses one link (`diagnose`, `link-line`).
struct DiagnosisOutputOptions: ParsableArguments {
    @Flag(help: "List every unresolved symbol (text output caps each group at 8).")
    var all = false

    @Option(help: "Output format: text, json, sarif (SARIF 2.1.0), junit (JUnit XML) or github (workflow commands). Example: --format sarif")
    var format: ReportFormat = .text

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report to this file instead of standard output, atomically (a temporary file renamed into place). Example: --output diagnose.sarif", valueName: "file"))
    var outputFile: String?

    /// Writes the report of `result`; `heading` goes before the text report (link-line's
    /// `link: …` line), `subject` names the module in the CI formats.
    func emit(_ result: DiagnoseResult, command: String, subject: String, heading: String? = nil) throws {
        try ReportOutput.emit(to: outputFile) { out in
            switch format {
            case .json:
                DiagnosisJSON.render(result.diagnosis, errors: result.errors.map { ($0.path, $0.description) }, to: out)
            case .text:
                if let d = result.diagnosis {
                    if let heading { out.write(heading + "\n") }
                    DiagnosisText.render(d, showAll: all, style: outputFile == nil ? TerminalStyle(fd: 1) : TerminalStyle(enabled: false), to: out)
                }
            case .sarif:
                SARIFReport.render(gateReport(result, command: command, subject: subject), version: Symscan.configuration.version, to: out)
            case .junit:
                JUnitReport.render(gateReport(result, command: command, subject: subject), to: out)
            case .github:
                GitHubReport.render(gateReport(result, command: command, subject: subject), to: out)
            }
        }
    }

    /// The diagnosis as a one-module gate report, for the CI formats: it fails on an error
    /// finding, as the verdict does.
    func gateReport(_ result: DiagnoseResult, command: String, subject path: String) -> GateReport {
        var m = ModuleResult(path: path, key: path.split(separator: "/").last.map(String.init) ?? path, diagnosis: result.diagnosis)
        m.errors = result.errors.map { e in
            ReportError(path: e.path, message: e.located)
        }
        m.notes = result.notes
        if result.diagnosis == nil && m.errors.isEmpty {
            m.errors = [ReportError(path: path, message: "nothing to diagnose: no object, archive member or shared object among the inputs")]
        }
        return GateReport(command: command, failOn: .error, modules: [m])
    }
}
