import Linkage

/// GitHub Actions workflow commands: one annotation per module (`::error file=…,title=…::`),
/// its findings folded into the message with the fix, so a module is one line on the run's
/// summary. Errors and warnings only, unless `notes` (expected behaviour is not news).
///
/// GitHub shows 10 annotations of each kind per step and drops the rest without a word: past
/// 9 of a kind, the 10th says how many modules were not annotated and where the full report
/// is. Every module still gets a plain line in the log; the summary line is last.
public enum GitHubReport {
    /// Annotations GitHub shows per kind (error, warning, notice) and step.
    public static let perKindLimit = 10

    public static func render(_ r: GateReport, notes: Bool = false, outputHint: String? = nil, to out: OutputBuffer) {
        var shown: [String: Int] = [:], hidden: [String: Int] = [:]
        var plain: [String] = []
        func annotate(_ command: String, file: String?, title: String, message: String) {
            let n = shown[command, default: 0]
            if n < perKindLimit - 1 {
                shown[command] = n + 1
                let location = file.map { "file=\(property($0))," } ?? ""
                out.write("::\(command) \(location)title=\(property(title))::\(data(message))\n")
            } else {
                hidden[command, default: 0] += 1
                plain.append("\(command): \(file.map { $0 + ": " } ?? "")\(message.replacingAll("\n", " | "))")
            }
        }
        for m in r.modules {
            let findings = m.findings.filter { notes || $0.severity > .note }
            var lines = findings.map { "\($0.severity.rawValue) [\($0.id.rawValue)]: \($0.message)" }
            lines += m.errors.map { "unusable: \($0.path): \($0.message)" }
            guard !lines.isEmpty else { continue }
            lines += ModuleFix.lines(m, threshold: r.failOn)
            let worst = m.errors.isEmpty ? findings.map(\.severity).max() ?? .note : .error
            let command = worst == .error ? "error" : worst == .warning ? "warning" : "notice"
            let ids = findings.map(\.id.rawValue) + (m.errors.isEmpty ? [] : ["unusable input"])
            let title = "symscan: " + (ids.count == 1 ? ids[0] : "\(ids.count) findings (\(Array(Set(ids)).sorted().joined(separator: ", ")))")
            annotate(command, file: m.path, title: title, message: m.path + "\n" + lines.joined(separator: "\n"))
        }
        for e in r.errors {
            annotate("error", file: nil, title: "symscan unusable input", message: "\(e.path): \(e.message)")
        }
        for command in ["error", "warning", "notice"] {
            guard let n = hidden[command], n > 0 else { continue }
            let where_ = outputHint.map { "the full report is in \($0)" } ?? "the full report: run again with --output FILE (and --format json, sarif or junit)"
            out.write("::\(command) title=\(property("symscan: \(n) more not annotated"))::\(data("\(n) more module\(n == 1 ? "" : "s") with \(command == "notice" ? "notes" : command + "s") not annotated (GitHub shows \(perKindLimit) per kind and step); they are listed in the log below; \(where_)"))\n")
        }
        for line in plain { out.write(line + "\n") }
        out.write("symscan \(r.command): " + CheckText.summary(r) + "\n")
    }

    /// The message part of a workflow command: `%`, CR and LF escaped.
    public static func data(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": o += "%25"
            case "\r": o += "%0D"
            case "\n": o += "%0A"
            default: o.unicodeScalars.append(c)
            }
        }
        return o
    }

    /// A property value (`file=`, `title=`): as `data`, and `:` and `,` too.
    public static func property(_ s: String) -> String {
        data(s).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}

extension String {
    /// Replaces every `target` character (Foundation-free).
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var o = ""
        for c in self { if c == target { o += replacement } else { o.append(c) } }
        return o
    }
}
