import Linkage

/// JUnit XML, as CI services read test reports: one test case per module; a module with a
/// finding at or above the threshold has a `<failure>` (with the fix), an unusable one an
/// `<error>`. A test case's `classname` is its wheel or directory, so CI services group the
/// modules of one wheel; `time` is the seconds its diagnosis took.
public enum JUnitReport {
    public static func render(_ r: GateReport, to out: OutputBuffer) {
        let tests = r.modules.count + r.errors.count
        let failures = r.failedCount
        let errors = r.errorCount + r.errors.count
        let suite = "symscan \(r.command)"
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.write("<testsuites name=\"symscan\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n")
        let total = r.modules.reduce(0) { $0 + $1.seconds }
        out.write("  <testsuite name=\"\(escape(suite))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\"\(seconds(total))\">\n")
        for m in r.modules {
            out.write("    <testcase classname=\"\(escape(className(m.path)))\" name=\"\(escape(m.path))\" time=\"\(seconds(m.seconds))\">")
            switch m.status(r.failOn) {
            case .fail:
                let failing = m.failing(r.failOn)
                let summary = failing.count == 1 ? "\(failing[0].id.rawValue): \(failing[0].message)"
                    : "\(failing.count) findings: " + failing.map(\.id.rawValue).joined(separator: ", ")
                out.write("\n      <failure type=\"\(escape(failing[0].id.rawValue))\" message=\"\(escape(summary))\">")
                out.write(escape(([findingsText(m.findings)] + ModuleFix.lines(m, threshold: r.failOn)).joined(separator: "\n")))
                out.write("</failure>\n    ")
            case .error:
                let message = m.errors.first.map { "\($0.path): \($0.message)" } ?? "no object or shared object to diagnose"
                out.write("\n      <error type=\"unusable-input\" message=\"\(escape(message))\">")
                out.write(escape(m.errors.map { "\($0.path): \($0.message)" }.joined(separator: "\n")))
                out.write("</error>\n    ")
            case .ok:
                let lower = m.findings.filter { $0.severity >= .warning }
                if !lower.isEmpty {
                    out.write("\n      <system-out>\(escape(findingsText(lower)))</system-out>\n    ")
                }
            }
            out.write("</testcase>\n")
        }
        for e in r.errors {
            out.write("    <testcase classname=\"\(escape(className(e.path)))\" name=\"\(escape(e.path))\" time=\"0.000\">\n")
            out.write("      <error type=\"unusable-input\" message=\"\(escape(e.message))\"/>\n    </testcase>\n")
        }
        out.write("  </testsuite>\n</testsuites>\n")
    }

    /// The wheel (`dist/x.whl` for `dist/x.whl!pkg/_m.so`) or directory a module is in.
    static func className(_ path: String) -> String {
        if let bang = path.firstIndex(of: "!") { return String(path[..<bang]) }
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Seconds with millisecond precision, as JUnit writers print them.
    static func seconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    static func findingsText(_ findings: [Finding]) -> String {
        findings.map { f in
            var line = "\(f.severity.rawValue) [\(f.id.rawValue)]: \(f.message)"
            if !f.symbols.isEmpty { line += "\n  symbols: " + f.symbols.joined(separator: " ") }
            return line
        }.joined(separator: "\n")
    }

    /// XML text and attribute escaping; characters XML 1.0 cannot hold (most C0 controls) are dropped.
    public static func escape(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&apos;"
            case "\n": o += "&#10;"
            case "\t": o += "&#9;"
            case "\r": o += "&#13;"
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: continue
            default: o.unicodeScalars.append(u)
            }
        }
        return o
    }
}
