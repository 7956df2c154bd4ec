import Linkage

/// The JSON form of a diagnosis (schema version 1; see schema/symscan.schema.json).
public enum DiagnosisJSON {
    public static func render(_ d: Diagnosis?, errors: [(path: String, message: String)], to out: OutputBuffer) {
        var j = JSONWriter(out)
        j.beginObject()
        j.field("schemaVersion", SymbolListJSON.schemaVersion)
        if let d {
            body(d, &j)
        } else {
            j.field("verdict", "error")
        }
        j.errors(errors)
        j.endObject()
        out.write(byte: UInt8(ascii: "\n"))
    }

    static func body(_ d: Diagnosis, _ j: inout JSONWriter) {
        j.field("platform", d.platform.rawValue)
        j.field("embedded", d.embedded)
        j.field("verdict", d.verdict)
        if let p = d.python { j.field("python", p) }
        j.field("referenceCount", d.referenceCount)
        j.field("resolvedCount", d.resolvedCount)
        j.key("inputs")
        j.beginArray()
        for i in d.inputs {
            j.beginObject()
            j.field("path", i.path)
            if let m = i.member { j.field("member", m) }
            j.field("format", i.format)
            j.field("kind", i.kind)
            j.endObject()
        }
        j.endArray()
        j.key("unresolved")
        j.beginArray()
        for u in d.unresolved {
            j.beginObject()
            j.field("name", u.name)
            j.field("weak", u.weak)
            j.field("pythonAPI", u.pythonAPI)
            j.field("expected", u.expected)
            strings("providers", u.providers, &j)
            j.endObject()
        }
        j.endArray()
        j.key("libraries")
        j.beginArray()
        for l in d.libraries {
            j.beginObject()
            j.field("name", l.name)
            j.field("path", l.path)
            j.field("linked", l.linked)
            j.field("role", l.role.rawValue)
            j.field("provides", l.provides)
            strings("linkArguments", l.linkArguments, &j)
            j.endObject()
        }
        j.endArray()
        strings("missingLinkArguments", d.missingLinkArguments, &j)
        j.key("findings")
        j.beginArray()
        for f in d.findings {
            j.beginObject()
            j.field("id", f.id)
            j.field("severity", f.severity.rawValue)
            j.field("message", f.message)
            if !f.symbols.isEmpty { strings("symbols", f.symbols, &j) }
            j.endObject()
        }
        j.endArray()
    }

    static func strings(_ key: StaticString, _ values: [String], _ j: inout JSONWriter) {
        j.key(key)
        j.beginArray()
        for v in values { j.value(v) }
        j.endArray()
    }
}
