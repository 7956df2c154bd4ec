import MappedFile
import ObjectModel

/// The XCOFF run-time view as text, in the spirit of AIX `dump -H` (import file IDs) followed
/// by the loader symbols in nm's shape, each import with the module it comes from.
enum LoaderText {
    static func renderHeader(_ image: ObjectImage, to out: OutputBuffer) {
        guard let d = image.dynamic, image.format != .exp || !d.importModules.isEmpty else { return }
        // ELF text stays exactly `nm -D`; NEEDED/SONAME/RUNPATH are in the JSON.
        if image.isELF { return }
        if let p = d.libraryPath {
            out.write("library path: " as StaticString)
            out.write(p)
            out.write(byte: UInt8(ascii: "\n"))
        }
        for (i, m) in d.importModules.enumerated() {
            out.write("import file \(i + 1): ")
            out.write(m.displayName)
            out.write(byte: UInt8(ascii: "\n"))
        }
    }

    /// Where each import comes from, for the `[module]` column; `[no module]` marks an XCOFF
    /// import with file index 0, which nothing provides at run time (the mark of a `-berok` link).
    static func modules(_ image: ObjectImage) -> [NameView: String] {
        var map: [NameView: String] = [:]
        for i in image.dynamic?.imports ?? [] { map[i.name] = i.module?.displayName ?? "no module" }
        return map
    }
}
