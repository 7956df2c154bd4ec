import Linkage
import MappedFile
import Reports

#if canImport(Glibc)
import Glibc
#endif

/// What a previous run recorded, so that only new problems fail the gate: per module (its key,
/// `ModuleCandidate.key`), each failing finding's id and symbols.
///
/// The file is JSON (`definitions/baseline` in schema/symscan.schema.json), sorted by module
/// key, then finding id, with sorted symbols and one finding per line, so it diffs well when
/// it is committed next to the code.
///
/// Its `schemaVersion` says how keys are made, since a key that a run no longer makes matches
/// nothing and every finding it recorded would fail as new. 2: a wheel is named without its
/// version, and with several roots keys start with the root. 1 (before both): still read, its
/// wheel names converted (`keyFromVersion1`); with several roots it is refused, as its keys
/// (relative to their root) cannot say which root a module was under.
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

    /// The version written; `read` also takes the ones before it that it can convert.
    public static let schemaVersion = 2

    public init() {}

    /// The findings at or above `threshold` of every module that has any.
    public init(recording results: [ModuleResult], threshold: Severity) {
        for m in results {
            let entries = m.findings.filter { $0.severity >= threshold }
                .map { Entry(id: $0.id.rawValue, symbols: $0.symbols.sorted()) }
            if !entries.isEmpty { modules[Self.normalisedKey(m.key), default: []] += entries }
        }
        for k in modules.keys { modules[k]!.sort { ($0.id, $0.symbols.joined(separator: "\n")) < ($1.id, $1.symbols.joined(separator: "\n")) } }
    }

    /// `severalRoots`: the run's modules were found under several roots, so their keys start
    /// with the root, which a version 1 file's keys do not.
    public static func read(path: String, severalRoots: Bool = false) throws -> Baseline {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw BaselineError("\(path): \(error.message)") }
        let text = (try? file.region.bytes(0, file.size, "baseline"))?.string ?? ""
        let root: JSONValue
        do { root = try JSONValue.parse(text) } catch { throw BaselineError("\(path): \(error)") }
        guard root["kind"]?.string == "symscan-baseline", let version = root["schemaVersion"]?.number,
              let modules = root["modules"]?.array else {
            throw BaselineError("\(path): not a symscan baseline (written by --write-baseline: {\"schemaVersion\":\(schemaVersion),\"kind\":\"symscan-baseline\",\"modules\":[...]})")
        }
        guard version == 1 || version == Double(schemaVersion) else {
            let shown = version.rounded() == version && abs(version) < 1e9 ? String(Int(version)) : String(version)
            throw BaselineError("\(path): a baseline of schemaVersion \(shown), which this symscan does not read (it reads 1 and \(schemaVersion)): written by a newer symscan?")
        }
        if version == 1 && severalRoots {
            throw BaselineError("\(path): a baseline of schemaVersion 1 keys each module by its path relative to its PATH, which cannot tell several PATHs apart: write it again with --write-baseline")
        }
        var b = Baseline()
        for m in modules {
            guard var key = m["path"]?.string, let findings = m["findings"]?.array else {
                throw BaselineError("\(path): a module entry needs \"path\" and \"findings\"")
            }
            if version == 1 { key = keyFromVersion1(key) }
            key = normalisedKey(key)
            for f in findings {
                guard let id = f["id"]?.string else { throw BaselineError("\(path): a finding of \(key) has no \"id\"") }
                let symbols = (f["symbols"]?.array ?? []).compactMap(\.string)
                b.modules[key, default: []].append(Entry(id: id, symbols: symbols))
            }
        }
        return b
    }

    /// A version 1 key as this version makes it: the wheel named without its version.
    /// `dist/mypkg-1.0-cp311-cp311-linux_x86_64.whl!mypkg/_x.so` →
    /// `dist/mypkg-cp311-cp311-linux_x86_64.whl!mypkg/_x.so`. The wheel is what ends at the
    /// first `.whl!` (the finder puts `!` after a wheel's name); other keys are unchanged.
    /// Two releases recorded under one key merge (both were accepted).
    static func keyFromVersion1(_ key: String) -> String {
        guard let bang = key.firstRange(of: ".whl!")?.upperBound else { return key }
        let wheel = key[..<key.index(before: bang)]
        let name = wheel.lastIndex(of: "/").map { wheel[wheel.index(after: $0)...] } ?? wheel
        return String(key[..<name.startIndex]) + WheelName.keyName(String(name)) + String(key[key.index(before: bang)...])
    }

    /// The baseline file's text.
    public func render() -> String {
        var s = "{\n  \"schemaVersion\": \(Self.schemaVersion),\n  \"kind\": \"symscan-baseline\",\n  \"modules\": ["
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
            if let entries = baseline?.modules[m.key]?.filter({ $0.id == f.id.rawValue }), !entries.isEmpty {
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

    public static func list(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) and \(names.count - limit) more" : shown
    }
}
