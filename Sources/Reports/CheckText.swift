import Linkage

/// `check` for people: one line per module (`OK`, `FAIL`, `ERROR`), the findings of failing
/// modules at warning level and above under it, then a summary line.
public enum CheckText {
    /// `onlyFailures`: the OK lines are left out (a big tree's report is its failures).
    public static func render(_ r: GateReport, style: TerminalStyle, onlyFailures: Bool = false, to out: OutputBuffer) {
        for m in r.modules where !(onlyFailures && m.status(r.failOn) == .ok) {
            switch m.status(r.failOn) {
            case .ok:
                let accepted = m.baselined > 0 ? " (\(m.baselined) accepted by the baseline)" : ""
                out.write(style.green("OK   ") + " " + m.path + accepted + "\n")
            case .fail: out.write(style.red("FAIL ") + " " + m.path + "\n")
            case .error: out.write(style.red("ERROR") + " " + m.path + "\n")
            }
            for f in m.findings where f.severity >= .warning {
                let sev = f.severity == .error ? style.red("error") : style.yellow("warning")
                out.write("        \(sev) [\(f.id.rawValue)]: \(f.message)\n")
            }
            for line in ModuleFix.lines(m, threshold: r.failOn) { out.write("        " + style.bold(line) + "\n") }
            for e in m.errors { out.write("        \(e.path): \(e.message)\n") }
        }
        for e in r.errors { out.write(style.red("ERROR") + " \(e.path): \(e.message)\n") }
        for s in r.staleBaseline { out.write((r.failOnStale ? style.red("STALE") : style.yellow("STALE")) + " baseline entry \(s)\n") }
        for b in r.bundled where !onlyFailures { out.write(style.dim("LIB  ") + " \(b) (bundled library: a provider for its wheel's modules)\n") }
        out.write(summary(r) + "\n")
    }

    /// `12 modules: 1 failed, 11 ok (fail on error; 3 symbols allowed, 2 findings in the baseline)`.
    public static func summary(_ r: GateReport) -> String {
        let ok = r.modules.count - r.failedCount - r.errorCount
        var s = "\(r.modules.count) module\(r.modules.count == 1 ? "" : "s"): \(r.failedCount) failed, \(ok) ok"
        if r.errorCount > 0 { s += ", \(r.errorCount) unusable" }
        if !r.errors.isEmpty { s += ", \(r.errors.count) unusable path\(r.errors.count == 1 ? "" : "s")" }
        s += " (fail on \(r.failOn.rawValue)"
        let allowed = r.modules.reduce(0) { $0 + $1.allowedSymbols }
        let baselined = r.modules.reduce(0) { $0 + $1.baselined }
        if allowed > 0 { s += "; \(allowed) symbol\(allowed == 1 ? "" : "s") allowed" }
        if baselined > 0 { s += "; \(baselined) accepted by the baseline" }
        if !r.staleBaseline.isEmpty { s += "; \(r.staleBaseline.count) stale baseline entr\(r.staleBaseline.count == 1 ? "y" : "ies")" }
        return s + ")"
    }
}
