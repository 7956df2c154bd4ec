import Linkage

/// GitHub Actions workflow commands: `::error file=…,title=…::message`, `::warning`, `::notice`,
/// one per finding, so findings show as annotations on the run; then a plain summary line.
public enum GitHubReport {
    public static func render(_ r: GateReport, to out: OutputBuffer) {
        for m in r.modules {
            for f in m.findings {
                let command = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
                out.write("::\(command) file=\(property(m.path)),title=\(property("symscan \(f.id.rawValue)"))::\(data(m.path + ": " + f.message))\n")
            }
            for e in m.errors {
                out.write("::error file=\(property(m.path)),title=\(property("symscan unusable input"))::\(data("\(e.path): \(e.message)"))\n")
            }
        }
        for e in r.errors {
            out.write("::error title=\(property("symscan unusable input"))::\(data("\(e.path): \(e.message)"))\n")
        }
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
