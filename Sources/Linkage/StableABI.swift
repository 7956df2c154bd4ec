import MappedFile
import ObjectModel

/// A Python `major.minor` version: a Stable ABI minimum (`cp38-abi3`, `--abi3 3.8`) or the
/// version that added a symbol.
public struct PythonVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `3.8`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 3, b >= 0 else { return nil }
        self.init(major: a, minor: b)
    }

    /// The highest `cpXY` among a wheel's python tags (`cp38`, `cp38.cp39`), when its ABI tag
    /// is `abi3`: the version its Stable ABI promise starts at, as abi3audit takes it.
    public init?(abi3WheelPython python: String, abi: String) {
        guard abi.split(separator: ".").contains("abi3") else { return nil }
        let versions = python.split(separator: ".").compactMap { tag -> PythonVersion? in
            guard tag.hasPrefix("cp"), tag.count >= 4, let major = Int(tag.dropFirst(2).prefix(1)),
                  let minor = Int(tag.dropFirst(3)) else { return nil }
            return PythonVersion(major: major, minor: minor)
        }
        guard let v = versions.max() else { return nil }
        self = v
    }

    public var description: String { "\(major).\(minor)" }
    public static func < (a: PythonVersion, b: PythonVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
}

/// CPython's Stable ABI (see StableABIData.swift and scripts/generate-stable-abi).
enum StableABI {
    /// The version that added each Stable ABI symbol.
    static let added: [String: PythonVersion] = {
        var table: [String: PythonVersion] = [:]
        for (major, minor, names) in StableABIData.symbolsByVersion {
            for n in names.split(whereSeparator: { $0 == " " || $0 == "\n" }) where table[String(n)] == nil {
                table[String(n)] = PythonVersion(major: major, minor: minor)
            }
        }
        return table
    }()

    /// `*.abi3.so` promises the Stable ABI, but not from which version: that is the wheel
    /// tag's (or `--abi3`'s) to say.
    static func promised(fileName: String) -> Bool { fileName.contains(".abi3.") }
}

extension Resolution {
    /// A Stable ABI module may use only Stable ABI symbols added at or before its minimum
    /// version; any other Python name makes it fail on some interpreter its tag admits.
    mutating func checkStableABI() {
        let named = linkSet.targets.contains { StableABI.promised(fileName: $0.member ?? FileSystem.baseName($0.path)) }
        // A bare `*.abi3.so` (an installed module) has no minimum version: only names outside
        // the Stable ABI are wrong for every version (abi3audit would assume 3.2).
        let minimum = options.abi3Minimum
        guard minimum != nil || named else { return }
        var violations: [(name: String, why: String)] = []
        for r in linkSet.allReferences where PythonAPI.isPythonName(r.key) {
            let name = r.key.string
            if let v = StableABI.added[name] {
                if let minimum, v > minimum { violations.append((name, "added in \(v)")) }
            } else if !name.hasPrefix("PyInit_") {
                violations.append((name, "not in the Stable ABI"))
            }
        }
        guard !violations.isEmpty else { return }
        let shown = violations.map { "\($0.name) (\($0.why))" }
        diagnosis.findings.append(Finding(
            id: .abi3Violation, severity: .error,
            message: "the module promises the Stable ABI \(minimum.map { "from Python \($0)" } ?? "(abi3; no minimum version known: give --abi3 3.X)"), but uses \(Self.list(shown, limit: 8)): it can fail to import on an interpreter its tag admits",
            symbols: violations.map(\.name)))
    }
}
