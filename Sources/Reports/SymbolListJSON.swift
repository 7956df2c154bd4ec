import Demangle
import ObjectModel

/// The JSON form of `symbols` (schema version 1, documented in `schema/symscan.schema.json`).
public enum SymbolListJSON {
    public static let schemaVersion = 1

    /// The document in pieces, for output rendered in parallel: `begin`, then the `File`
    /// objects separated by commas (the caller writes them), then `end`.
    public static func begin(to out: OutputBuffer) {
        out.write("{\"schemaVersion\":" as StaticString)
        out.writeDecimal(schemaVersion)
        out.write(",\"files\":[" as StaticString)
    }

    /// One entry of `files`, `{"path":…,"symbols":[…]}`, in three parts like `SymbolListText`:
    /// `header`, each `chunk`, `trailer`. Each symbol object that `chunk` writes starts with a
    /// comma: the caller drops the comma of the first object of the array.
    public struct File: Sendable {
        public let image: ObjectImage
        public let filter: SymbolFilter
        public let list: SymbolList

        public init(_ image: ObjectImage, filter: SymbolFilter, dynamic: Bool) {
            self.image = image
            self.filter = filter
            list = image.symbolList(dynamic: dynamic)
        }

        /// Everything up to the opening bracket of `symbols`.
        public func header(to out: OutputBuffer) {
            var j = JSONWriter(out)
            j.beginObject()
            j.field("path", image.path)
            if let m = image.member { j.field("member", m) }
            j.field("format", image.format.rawValue)
            j.field("kind", image.kind.rawValue)
            DynamicJSON.elf(image, &j)
            if !image.notes.isEmpty {
                j.key("notes")
                j.beginArray()
                for n in image.notes { j.value(n) }
                j.endArray()
            }
            LoaderJSON.render(image, &j)
            j.key("symbols")
            out.write(byte: UInt8(ascii: "["))
        }

        /// `,{…}` for each symbol of chunk `chunk` that passes the filter.
        public func chunk(_ chunk: Int, demangler: inout Demangler, to out: OutputBuffer) {
            // A writer that takes every object it starts for a later member: a comma before each.
            var j = JSONWriter(out, continuingAfterAMember: true)
            list.forEach(chunk: chunk) { s in
                guard filter.accepts(s) else { return }
                symbol(s, &j, &demangler)
            }
        }

        public func trailer(to out: OutputBuffer) {
            out.write("]}" as StaticString)
        }
    }

    /// Closes `files` and writes `errors`.
    public static func end(errors: [(path: String, message: String)], to out: OutputBuffer) {
        out.write("]" as StaticString)
        // A writer inside the document object, after "files": `errors` needs its comma.
        var j = JSONWriter(out, continuingAfterAMember: true)
        j.errors(errors)
        out.write("}\n" as StaticString)
    }

    /// `name` is always the raw name; `demangled` is added when demangling changes it.
    static func symbol(_ s: Symbol, _ j: inout JSONWriter, _ demangler: inout Demangler) {
        j.beginObject()
        j.field("name", s.name)
        // The demangled text is written straight from the demangler's buffer: no String per name.
        _ = demangler.withDemangled(s.name) { d in
            if d != s.name { j.field("demangled", d) }
        }
        j.field("defined", s.defined)
        j.field("binding", s.binding.rawValue)
        j.field("type", s.kind.rawValue)
        j.field("visibility", s.visibility.rawValue)
        j.field("value", s.value)
        j.field("section", s.sectionNumber)
        if let c = s.xcoff?.storageClass { j.field("storageClass", c.name) }
        if let t = s.xcoff?.symbolType { j.field("symbolType", t.name) }
        if let m = s.xcoff?.mappingClass { j.field("mappingClass", m.name) }
        DynamicJSON.symbolVersion(s, &j)
        j.endObject()
    }
}
