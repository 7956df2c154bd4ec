import Linkage

/// JUnit XML, as CI services read test reports: one test case per module; a module with a
/// finding at or above the threshold has a `<failure>`, an unusable one an `<error>`.
public enum JUnitReport {
    public static func render(_ r: GateReport, to out: OutputBuffer) {
        let tests = r.modules.count + r.errors.count
        let failures = r.failedCount
        let errors = r.errorCount + r.errors.count
        let suite = "symscan \(r.command)"
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.write("<testsuites name=\"symscan\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n")
        out.write("  <testsuite name=\"\(escape(suite))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\">\n")
        for m in r.modules {
            out.write("    <testcase classname=\"\(escape(suite))\" name=\"\(escape(m.path))\">")
            switch m.status(r.failOn) {
            case "fail":
                let failing = m.failing(r.failOn)
                let summary = failing.count == 1 ? "\(failing[0].id.rawValue): \(failing[0].message)"
                    : "\(failing.count) findings: " + failing.map(\.id.rawValue).joined(separator: ", ")
                out.write("\n      <failure type=\"\(escape(failing[0].id.rawValue))\" message=\"\(escape(summary))\">")
                out.write(escape(findingsText(m.findings)))
                out.write("</failure>\n    ")
            case "error":
                let message = m.errors.first.map { "\($0.path): \($0.message)" } ?? "no object or shared object to diagnose"
                out.write("\n      <error type=\"unusable-input\" message=\"\(escape(message))\">")
                out.write(escape(m.errors.map { "\($0.path): \($0.message)" }.joined(separator: "\n")))
                out.write("</error>\n    ")
            default:
                let lower = m.findings.filter { $0.severity >= .warning }
                if !lower.isEmpty {
                    out.write("\n      <system-out>\(escape(findingsText(lower)))</system-out>\n    ")
                }
            }
            out.write("</testcase>\n")
        }
        for e in r.errors {
            out.write("    <testcase classname=\"\(escape(suite))\" name=\"\(escape(e.path))\">\n")
            out.write("      <error type=\"unusable-input\" message=\"\(escape(e.message))\"/>\n    </testcase>\n")
        }
        out.write("  </testsuite>\n</testsuites>\n")
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
