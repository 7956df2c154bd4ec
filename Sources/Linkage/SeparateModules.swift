import ImageLoader
import ObjectModel

/// `diagnose a.so b.so libz.so.1`: shared objects given without any object or archive member
/// are not one link. Each is diagnosed on its own, against what it links itself (DT_NEEDED,
/// loader imports) and the libraries given with `-l`/`--lib`; one never resolves another's
/// references. Import lists given beside them still apply to each.
enum SeparateModules {
    /// One load result per module, each with the import lists; nil when the inputs are one
    /// link (objects or archive members among them) or a single module.
    static func split(_ loaded: [LoadResult]) -> [[LoadResult]]? {
        let images = loaded.flatMap(\.images)
        guard !images.contains(where: { $0.kind == .object }) else { return nil }
        let modules = images.filter { $0.format != .exp }
        guard modules.count > 1 else { return nil }
        var lists = loaded.filter { $0.images.contains { $0.format == .exp } }
        for i in lists.indices { lists[i].images = lists[i].images.filter { $0.format == .exp }; lists[i].errors = []; lists[i].notes = [] }
        return modules.map { m in
            var r = LoadResult(path: m.path)
            r.images = [m]
            return [r] + lists
        }
    }

    /// Runs `one` on each module and sums the diagnoses up: inputs, counts, unresolved names,
    /// libraries and missing arguments of all, findings prefixed with their module's file name.
    static func run(_ each: [[LoadResult]], errors: [InputError], notes: [String], _ one: ([LoadResult]) -> DiagnoseResult) -> DiagnoseResult {
        var modules: [Diagnosis] = []
        var allNotes = notes
        for loaded in each {
            let r = one(loaded)
            allNotes += r.notes
            if let d = r.diagnosis { modules.append(d) }
        }
        guard var sum = modules.first else { return DiagnoseResult(diagnosis: nil, errors: errors, notes: allNotes) }
        sum.inputs = []; sum.unresolved = []; sum.libraries = []; sum.missingLinkArguments = []; sum.findings = []
        sum.referenceCount = 0; sum.resolvedCount = 0
        for d in modules {
            sum.inputs += d.inputs
            sum.referenceCount += d.referenceCount
            sum.resolvedCount += d.resolvedCount
            sum.unresolved += d.unresolved
            for l in d.libraries where !sum.libraries.contains(where: { $0.path == l.path && $0.name == l.name }) { sum.libraries.append(l) }
            for a in d.missingLinkArguments where !sum.missingLinkArguments.contains(a) { sum.missingLinkArguments.append(a) }
            let name = d.inputs.first.map { i in i.member.map { "\(FileSystem.baseName(i.path))(\($0))" } ?? FileSystem.baseName(i.path) } ?? "?"
            sum.findings += d.findings.map { f in
                var f = f
                if !f.message.hasPrefix(name) { f.message = "\(name): \(f.message)" }
                return f
            }
        }
        sum.findings.sort { $0.severity > $1.severity }
        sum.modules = modules
        return DiagnoseResult(diagnosis: sum, errors: errors, notes: allNotes)
    }
}
