import Linkage

/// What fixes a failing module, worded once for every report format (text, JUnit, GitHub,
/// SARIF): the link arguments that are missing, who provides each unresolved symbol, and for
/// findings that no link argument fixes, what to do instead (`FindingID.help`).
public enum ModuleFix {
    /// The lines for a module: empty when it does not fail at `threshold`.
    ///
    /// `fix: -L/x -lz -lm`, then `providers: libz.so (deflate, inflate); none for foo`, then a
    /// line per finding id that needs another kind of fix.
    public static func lines(_ m: ModuleResult, threshold: Severity) -> [String] {
        let failing = m.failing(threshold)
        guard let d = m.diagnosis, !failing.isEmpty else { return [] }
        var out: [String] = []
        if !d.missingLinkArguments.isEmpty { out.append("fix: " + d.missingLinkArguments.joined(separator: " ")) }
        let providers = providerText(d, symbols: Set(failing.flatMap(\.symbols)))
        if !providers.isEmpty { out.append("providers: " + providers) }
        // What to do for findings the link arguments do not fix: the catalogue's help, once.
        let byArguments: Set<FindingID> = d.missingLinkArguments.isEmpty ? [] : [.unresolvedSymbols, .libpythonNotLinked]
        var said = Set<FindingID>()
        for f in failing where !byArguments.contains(f.id) && said.insert(f.id).inserted { out.append("fix: " + f.id.help) }
        return out
    }

    /// `libz.so (deflate, inflate); none for foo, bar`: the unresolved symbols of the failing
    /// findings, grouped by their first provider (8 names a group).
    static func providerText(_ d: Diagnosis, symbols: Set<String>) -> String {
        var groups: [(String, [String])] = []
        for u in d.unresolved where !u.expected && !u.weak && symbols.contains(u.name) {
            let key = u.providers.first ?? ""
            if let i = groups.firstIndex(where: { $0.0 == key }) { groups[i].1.append(u.name) } else { groups.append((key, [u.name])) }
        }
        return groups.map { key, names in
            let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", … (\(names.count - 8) more)" : "")
            return key.isEmpty ? "none for \(shown)" : "\(key) (\(shown))"
        }.joined(separator: "; ")
    }
}
