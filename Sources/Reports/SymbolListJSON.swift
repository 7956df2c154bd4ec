import ObjectModel

/// The JSON form of `symbols` (schema version 1, documented in `schema/symscan.schema.json`).
public enum SymbolListJSON {
    public static let schemaVersion = 1

    public static func render(_ images: [ObjectImage], errors: [(path: String, message: String)],
                              filter: SymbolFilter, dynamic: Bool = false, to out: OutputBuffer) {
        var j = JSONWriter(out)
        j.beginObject()
        j.field("schemaVersion", schemaVersion)
        j.key("files")
        j.beginArray()
        for image in images {
            j.beginObject()
            j.field("path", image.path)
            if let m = image.member { j.field("member", m) }
            j.field("format", image.format.rawValue)
            j.field("kind", image.kind.rawValue)
            if !image.notes.isEmpty {
                j.key("notes")
                j.beginArray()
                for n in image.notes { j.value(n) }
                j.endArray()
            }
            LoaderJSON.render(image, &j)
            j.key("symbols")
            j.beginArray()
            for s in dynamic ? image.dynamic?.symbols ?? [] : image.symbols where filter.accepts(s) { symbol(s, &j) }
            j.endArray()
            j.endObject()
        }
        j.endArray()
        j.key("errors")
        j.beginArray()
        for e in errors {
            j.beginObject()
            j.field("path", e.path)
            j.field("message", e.message)
            j.endObject()
        }
        j.endArray()
        j.endObject()
        out.write(byte: UInt8(ascii: "\n"))
    }

    static func symbol(_ s: Symbol, _ j: inout JSONWriter) {
        j.beginObject()
        j.field("name", s.name)
        j.field("defined", s.defined)
        j.field("binding", s.binding.rawValue)
        j.field("type", s.kind.rawValue)
        j.field("visibility", s.visibility.rawValue)
        j.field("value", s.value)
        j.field("section", s.sectionNumber)
        if let c = s.storageClass { j.field("storageClass", c) }
        if let t = s.symbolType { j.field("symbolType", t) }
        if let m = s.mappingClass { j.field("mappingClass", m) }
        j.endObject()
    }
}
