import Linkage
import MappedFile
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// What a previous run recorded, so that only new problems fail the gate: per module (its path
/// relative to the root it was found under), each failing finding's id and symbols.
///
/// The file is JSON (`definitions/baseline` in schema/symscan.schema.json), sorted by module
/// path, then finding id, with sorted symbols and one finding per line, so it diffs well when
/// it is committed next to the code.
public struct Baseline: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var symbols: [String]
        public init(id: String, symbols: [String]) {
            self.id = id
            self.symbols = symbols
        }
    }

    /// Entries by module key.
    public var modules: [String: [Entry]] = [:]

    public init() {}

    /// The findings at or above `threshold` of every module that has any.
    public init(recording results: [ModuleResult], threshold: Severity) {
        for m in results {
            let entries = m.findings.filter { $0.severity >= threshold }
                .map { Entry(id: $0.id, symbols: $0.symbols.sorted()) }
            if !entries.isEmpty { modules[m.key, default: []] += entries }
        }
        for k in modules.keys { modules[k]!.sort { ($0.id, $0.symbols.joined(separator: "\n")) < ($1.id, $1.symbols.joined(separator: "\n")) } }
    }

    public static func read(path: String) throws -> Baseline {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw BaselineError("\(path): \(error.message)") }
        let text = (try? file.region.bytes(0, file.size, "baseline"))?.string ?? ""
        let root: JSONValue
        do { root = try JSONValue.parse(text) } catch { throw BaselineError("\(path): \(error)") }
        guard root["kind"]?.string == "symscan-baseline", root["schemaVersion"]?.number == 1,
              let modules = root["modules"]?.array else {
            throw BaselineError("\(path): not a symscan baseline (written by --write-baseline: {\"schemaVersion\":1,\"kind\":\"symscan-baseline\",\"modules\":[...]})")
        }
        var b = Baseline()
        for m in modules {
            guard let key = m["path"]?.string, let findings = m["findings"]?.array else {
                throw BaselineError("\(path): a module entry needs \"path\" and \"findings\"")
            }
            for f in findings {
                guard let id = f["id"]?.string else { throw BaselineError("\(path): a finding of \(key) has no \"id\"") }
                let symbols = (f["symbols"]?.array ?? []).compactMap(\.string)
                b.modules[key, default: []].append(Entry(id: id, symbols: symbols))
            }
        }
        return b
    }

    /// The baseline file's text.
    public func render() -> String {
        var s = "{\n  \"schemaVersion\": 1,\n  \"kind\": \"symscan-baseline\",\n  \"modules\": ["
        let keys = modules.keys.sorted()
        for (i, key) in keys.enumerated() {
            s += i == 0 ? "\n" : ",\n"
            s += "    {\"path\": \(Self.quote(key)), \"findings\": ["
            for (k, e) in modules[key]!.enumerated() {
                s += k == 0 ? "\n" : ",\n"
                s += "      {\"id\": \(Self.quote(e.id)), \"symbols\": [" + e.symbols.map(Self.quote).joined(separator: ", ") + "]}"
            }
            s += "\n    ]}"
        }
        s += keys.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return s
    }

    static func quote(_ s: String) -> String { JSONWriter.quoted(s) }
}

public struct BaselineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Narrows a module's findings: `--allow` removes symbols (a finding left with none drops out),
/// then the baseline removes what it recorded for the module.
public struct FindingFilter: Sendable {
    public var allow: AllowList
    public var baseline: Baseline?

    public init(allow: AllowList, baseline: Baseline?) {
        self.allow = allow
        self.baseline = baseline
    }

    public func apply(to m: inout ModuleResult) {
        guard var d = m.diagnosis else { return }
        var kept: [Finding] = []
        for var f in d.findings {
            if !allow.isEmpty && !f.symbols.isEmpty {
                let rest = f.symbols.filter { !allow.allows($0) }
                let removed = f.symbols.count - rest.count
                m.allowedSymbols += removed
                if rest.isEmpty { continue }
                if removed > 0 {
                    f.message += " [\(removed) allowed by --allow; still: \(Self.list(rest))]"
                    f.symbols = rest
                }
            }
            if let entries = baseline?.modules[m.key]?.filter({ $0.id == f.id }), !entries.isEmpty {
                if f.symbols.isEmpty {
                    if entries.contains(where: { $0.symbols.isEmpty }) { m.baselined += 1; continue }
                } else {
                    let known = Set(entries.flatMap(\.symbols))
                    let new = f.symbols.filter { !known.contains($0) }
                    if new.isEmpty { m.baselined += 1; continue }
                    if new.count < f.symbols.count {
                        m.baselined += 1
                        f.message += " [\(f.symbols.count - new.count) in the baseline; new: \(Self.list(new))]"
                        f.symbols = new
                    }
                }
            }
            kept.append(f)
        }
        d.findings = kept
        m.diagnosis = d
    }

    static func list(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) and \(names.count - limit) more" : shown
    }
}
