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
        j.objects("importFiles", d.importModules) { j, m in
            j.field("path", m.path)
            j.field("base", m.base)
            j.field("member", m.member)
        }
        j.objects("imports", d.imports) { j, i in
            j.field("name", i.name)
            if let m = i.module { j.field("module", m.displayName) } else { j.key("module"); j.null() }
            if i.weak { j.field("weak", true) }
        }
        j.objects("exports", d.exports) { j, e in j.field("name", e) }
        j.endObject()
    }
}
