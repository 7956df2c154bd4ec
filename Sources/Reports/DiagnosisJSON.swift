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
        j.objects("inputs", d.inputs) { j, i in
            j.field("path", i.path)
            if let m = i.member { j.field("member", m) }
            j.field("format", i.format)
            j.field("kind", i.kind)
        }
        j.objects("unresolved", d.unresolved) { j, u in
            j.field("name", u.name)
            if let v = u.version { j.field("version", v) }
            j.field("weak", u.weak)
            j.field("pythonAPI", u.pythonAPI)
            j.field("expected", u.expected)
            j.strings("providers", u.providers)
        }
        j.objects("libraries", d.libraries) { j, l in
            j.field("name", l.name)
            j.field("path", l.path)
            j.field("linked", l.linked)
            j.field("role", l.role.rawValue)
            j.field("provides", l.provides)
            j.strings("linkArguments", l.linkArguments)
        }
        j.strings("missingLinkArguments", d.missingLinkArguments)
        if !d.removeLinkArguments.isEmpty { j.strings("removeLinkArguments", d.removeLinkArguments) }
        j.objects("findings", d.findings) { j, f in
            j.field("id", f.id.rawValue)
            j.field("severity", f.severity.rawValue)
            j.field("message", f.message)
            if !f.symbols.isEmpty { j.strings("symbols", f.symbols) }
        }
        // Several modules diagnosed each on its own: the fields above sum them up.
        if !d.modules.isEmpty { j.objects("modules", d.modules) { j, m in body(m, &j) } }
    }
}
