import ObjectModel

/// The XCOFF run-time view in JSON: `"loader":{"libraryPath","importFiles","imports","exports"}`.
/// Import/export lists (`.exp`) use the same shape under `"importExport"`, without a library path.
enum LoaderJSON {
    static func render(_ image: ObjectImage, _ j: inout JSONWriter) {
        guard let d = image.dynamic else { return }
        switch image.format {
        case .xcoff32, .xcoff64: j.key("loader")
        case .exp: j.key("importExport")
        default: return
        }
        j.beginObject()
        if let p = d.libraryPath { j.field("libraryPath", p) }
        j.key("importFiles")
        j.beginArray()
        for m in d.importModules {
            j.beginObject()
            j.field("path", m.path)
            j.field("base", m.base)
            j.field("member", m.member)
            j.endObject()
        }
        j.endArray()
        j.key("imports")
        j.beginArray()
        for i in d.imports {
            j.beginObject()
            j.field("name", i.name)
            if let m = i.module { j.field("module", m.displayName) } else { j.key("module"); j.null() }
            if i.weak { j.field("weak", true) }
            j.endObject()
        }
        j.endArray()
        j.key("exports")
        j.beginArray()
        for e in d.exports {
            j.beginObject()
            j.field("name", e)
            j.endObject()
        }
        j.endArray()
        j.endObject()
    }
}
