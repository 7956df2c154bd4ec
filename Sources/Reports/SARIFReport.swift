import Linkage

/// SARIF 2.1.0 (OASIS): one run, the finding ids as rules (`tool.driver.rules`, in the stable
/// order of `FindingID.allCases`), one result per finding located at its module. Unusable inputs are
/// tool execution notifications, so code-scanning services show them without inventing rules.
/// A failing module's fix (`ModuleFix`) is in its results' messages and `properties`; note-level
/// findings (expected behaviour, such as the C API left to the interpreter) are results only
/// with `notes`.
public enum SARIFReport {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    public static func render(_ r: GateReport, version: String, notes: Bool = false, to out: OutputBuffer) {
        let rules = FindingID.allCases
        var j = JSONWriter(out)
        j.beginObject()
        j.field("$schema", schemaURI)
        j.field("version", "2.1.0")
        j.key("runs")
        j.beginArray()
        j.beginObject()
        j.key("tool")
        j.beginObject()
        j.key("driver")
        j.beginObject()
        j.field("name", "symscan")
        j.field("version", version)
        j.field("semanticVersion", version)
        j.key("rules")
        j.beginArray()
        for rule in rules {
            j.beginObject()
            j.field("id", rule.rawValue)
            j.field("name", ruleName(rule.rawValue))
            j.key("shortDescription"); text(rule.summary, &j)
            j.key("help"); text(rule.help, &j)
            j.key("defaultConfiguration")
            j.beginObject()
            j.field("level", rule.defaultSeverity.rawValue)
            j.endObject()
            j.endObject()
        }
        j.endArray()
        j.endObject()
        j.endObject()

        j.key("invocations")
        j.beginArray()
        j.beginObject()
        j.field("executionSuccessful", !r.hasErrors)
        j.key("toolExecutionNotifications")
        j.beginArray()
        let unusable = r.errors + r.modules.flatMap(\.errors)
        for e in unusable {
            j.beginObject()
            j.field("level", "error")
            j.key("message"); text("\(e.path): \(e.message)", &j)
            j.endObject()
        }
        j.endArray()
        j.endObject()
        j.endArray()

        j.key("results")
        j.beginArray()
        for m in r.modules {
            let fix = ModuleFix.lines(m, threshold: r.failOn)
            for f in m.findings where notes || f.severity > .note {
                let failing = f.severity >= r.failOn
                j.beginObject()
                j.field("ruleId", f.id.rawValue)
                j.field("ruleIndex", f.id.index)
                j.field("level", level(f.severity))
                j.key("message"); text(failing && !fix.isEmpty ? f.message + "\n" + fix.joined(separator: "\n") : f.message, &j)
                j.key("locations")
                j.beginArray()
                j.beginObject()
                j.key("physicalLocation")
                j.beginObject()
                j.key("artifactLocation")
                j.beginObject()
                j.field("uri", uri(m.path))
                j.endObject()
                j.endObject()
                j.endObject()
                j.endArray()
                j.key("partialFingerprints")
                j.beginObject()
                j.field("symscanFinding/v1", "\(m.key)|\(f.id.rawValue)|\(f.symbols.joined(separator: ","))")
                j.endObject()
                let arguments = failing ? m.diagnosis?.missingLinkArguments ?? [] : []
                if !f.symbols.isEmpty || !arguments.isEmpty {
                    j.key("properties")
                    j.beginObject()
                    if !f.symbols.isEmpty { j.strings("symbols", f.symbols) }
                    if !arguments.isEmpty { j.strings("missingLinkArguments", arguments) }
                    j.endObject()
                }
                j.endObject()
            }
        }
        j.endArray()
        j.endObject()
        j.endArray()
        j.endObject()
        out.write(byte: UInt8(ascii: "\n"))
    }

    static func text(_ s: String, _ j: inout JSONWriter) {
        j.beginObject()
        j.field("text", s)
        j.endObject()
    }

    public static func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// `libpython-not-linked` → `LibpythonNotLinked` (SARIF's rule `name` is an identifier).
    static func ruleName(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A path as a URI reference: relative paths stay relative (code scanning resolves them
    /// against the repository), absolute ones become `file://` URIs; bytes outside the
    /// unreserved set and `/ ! : @ + , ; = ( ) ~ $ & '` are percent-encoded.
    public static func uri(_ path: String) -> String {
        var s = ""
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                s.unicodeScalars.append(Unicode.Scalar(b))
            case _ where "-._~/!:@+,;=()$&'".utf8.contains(b):
                s.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                s += "%"
                s.unicodeScalars.append(hex[Int(b >> 4)])
                s.unicodeScalars.append(hex[Int(b & 0xF)])
            }
        }
        return path.hasPrefix("/") ? "file://" + s : s
    }
}
