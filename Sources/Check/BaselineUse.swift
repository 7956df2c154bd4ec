import Linkage
import Reports

/// How a baseline meets a run: keys spelled one way, entries whose problem is gone, and a
/// baseline that meets nothing at all (a PATH given another way makes every key differ).
extension Baseline {
    /// A key as every run and every baseline spells it: `./build/` and `build` are one PATH,
    /// `a//b` is `a/b`. Only the spelling changes (no file system is asked), so a key still
    /// names the same module on another machine.
    public static func normalisedKey(_ key: String) -> String {
        let absolute = key.hasPrefix("/")
        let parts = key.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// What the baseline records that the run's findings no longer have, one line each: an
    /// entry whose finding is gone, or the symbols of an entry that are no longer in it. Such
    /// an entry would accept the problem again, unnoticed, if it came back. Modules that could
    /// not be read say nothing about their entries.
    public func stale(_ modules: [ModuleResult]) -> [String] {
        var current: [String: [Finding]] = [:]
        var unreadable = Set<String>()
        for m in modules {
            if m.diagnosis == nil || !m.errors.isEmpty { unreadable.insert(m.key) }
            current[m.key, default: []] += m.findings
        }
        var out: [String] = []
        for key in self.modules.keys.sorted() where !unreadable.contains(key) {
            for e in self.modules[key]! {
                let findings = (current[key] ?? []).filter { $0.id.rawValue == e.id }
                if findings.isEmpty {
                    let what = current[key] == nil ? "no such module in this run" : "no longer found"
                    out.append("\(key): \(e.id)\(e.symbols.isEmpty ? "" : " (\(FindingFilter.list(e.symbols)))"): \(what)")
                    continue
                }
                let now = Set(findings.flatMap(\.symbols))
                let gone = e.symbols.filter { !now.contains($0) }
                if !gone.isEmpty { out.append("\(key): \(e.id): \(FindingFilter.list(gone)) no longer in it") }
            }
        }
        return out
    }

    /// Whether some module of the run has a key the baseline records.
    public func matchesAny(_ modules: [ModuleResult]) -> Bool {
        modules.contains { self.modules[$0.key] != nil }
    }
}
