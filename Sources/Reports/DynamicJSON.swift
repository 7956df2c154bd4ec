import ObjectModel

/// JSON keys for run-time linkage, one part per format, kept apart from the generic symbol
/// list so that each format's additions stay in one place.
public enum DynamicJSON {
    /// Per-file keys of an ELF image: `machine`, `osABI`, `android`, and, when it has a dynamic
    /// section or dynamic symbols, `needed` (DT_NEEDED, in order), `soname`, `rpath`, `runpath`
    /// (split at `:`). `soname` is null when the file has none; the arrays may be empty.
    public static func elf(_ image: ObjectImage, _ j: inout JSONWriter) {
        guard image.isELF else { return }
        if let m = image.machine { j.field("machine", m) }
        if let a = image.osABI { j.field("osABI", a) }
        j.field("android", image.isAndroid)
        guard let d = image.dynamic else { return }
        j.key("needed")
        strings(d.importModules.map(\.base), &j)
        j.key("soname")
        if let s = d.soname { j.value(s) } else { j.null() }
        j.key("rpath")
        strings(d.rpath, &j)
        j.key("runpath")
        strings(d.runpath, &j)
    }

    /// Per-symbol keys for a versioned ELF dynamic symbol: `version` and `versionDefault`
    /// (true for `@@`, a default definition; false for `@`, a reference or hidden version).
    public static func symbolVersion(_ s: Symbol, _ j: inout JSONWriter) {
        guard let v = s.version else { return }
        j.field("version", v)
        j.field("versionDefault", s.versionDefault)
    }

    private static func strings(_ list: [String], _ j: inout JSONWriter) {
        j.beginArray()
        for s in list { j.value(s) }
        j.endArray()
    }
}
