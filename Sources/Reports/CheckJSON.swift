import Linkage

/// The JSON form of `check` (schema version 1; `definitions/check` in schema/symscan.schema.json):
/// a summary, then one entry per module with its diagnosis in the shape `diagnose` writes.
public enum CheckJSON {
    public static func render(_ r: GateReport, to out: OutputBuffer) {
        var j = JSONWriter(out)
        j.beginObject()
        j.field("schemaVersion", SymbolListJSON.schemaVersion)
        j.field("command", r.command)
        j.field("failOn", r.failOn.rawValue)
        j.field("verdict", r.verdict)
        j.key("summary")
        j.beginObject()
        j.field("modules", r.modules.count)
        j.field("ok", r.modules.count - r.failedCount - r.errorCount)
        j.field("failed", r.failedCount)
        j.field("errors", r.errorCount)
        j.field("allowedSymbols", r.modules.reduce(0) { $0 + $1.allowedSymbols })
        j.field("baselined", r.modules.reduce(0) { $0 + $1.baselined })
        j.endObject()
        j.key("modules")
        j.beginArray()
        for m in r.modules {
            j.beginObject()
            j.field("path", m.path)
            j.field("key", m.key)
            j.field("status", m.status(r.failOn).rawValue)
            j.field("allowedSymbols", m.allowedSymbols)
            j.field("baselined", m.baselined)
            if let d = m.diagnosis {
                j.key("diagnosis")
                j.beginObject()
                DiagnosisJSON.body(d, &j)
                j.endObject()
            }
            j.strings("notes", m.notes)
            j.errors(m.errors.map { ($0.path, $0.message) })
            j.endObject()
        }
        j.endArray()
        j.strings("bundledLibraries", r.bundled)
        j.strings("staleBaselineEntries", r.staleBaseline)
        j.strings("notes", r.notes)
        j.errors(r.errors.map { ($0.path, $0.message) })
        j.endObject()
        out.write(byte: UInt8(ascii: "\n"))
    }
}
