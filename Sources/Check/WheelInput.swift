import Linkage
import Reports

/// Wheel paths as `check` prints them, taken back as inputs: `dist/x.whl` (every module in it)
/// and `dist/x.whl!pkg/_m.so` (one member), so any path in a report can be pasted into
/// `symscan diagnose`. Each module is diagnosed as `check` diagnoses it (inside its wheel).
public enum WheelInput {
    /// The wheel and member of `dist/x.whl!pkg/_m.so`; the member is nil for `dist/x.whl`;
    /// nil when the path names no wheel.
    public static func parse(_ path: String) -> (wheel: String, member: String?)? {
        if let bang = path.firstIndex(of: "!"), path[..<bang].hasSuffix(".whl") {
            return (String(path[..<bang]), String(path[path.index(after: bang)...]))
        }
        return path.hasSuffix(".whl") ? (path, nil) : nil
    }

    /// The modules `path` names, diagnosed with `options` (`inputs` is set per module).
    public static func diagnose(_ path: String, options: DiagnoseOptions) -> GateReport {
        guard let (wheel, member) = parse(path) else {
            var r = GateReport(command: "diagnose", failOn: .error, modules: [])
            r.errors = [ReportError(path: path, message: "not a wheel path")]
            return r
        }
        var finder = ModuleFinder(roots: [wheel])
        if let member {
            let wanted = "\(wheel)!\(member)"
            let found = finder.candidates.filter { $0.path == wanted }
            if found.isEmpty && finder.errors.isEmpty {
                let why = finder.bundled.contains(wanted) ? "a library bundled in the wheel, not an extension module"
                    : "no such extension module in the wheel"
                finder.errors.append(ReportError(path: wanted, message: why))
            }
            finder.candidates = found
            finder.notes = []
        }
        var report = Gate.run(finder, options: GateOptions(diagnose: options, failOn: .error,
                                                           filter: FindingFilter(allow: AllowList([]), baseline: nil)))
        report.command = "diagnose"
        if report.modules.isEmpty && report.errors.isEmpty {
            report.errors = finder.notChecked.isEmpty ? [ReportError(path: path, message: "no extension modules in the wheel")] : finder.notChecked
        }
        return report
    }
}
