import Linkage

/// An input that could not be used, for reports (`symscan: PATH: message` on stderr).
public struct ReportError: Sendable, Equatable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// What the gate concluded about one extension module (for `diagnose`, about its one link unit).
public struct ModuleResult: Sendable {
    /// The module as the user finds it: `build/_mod.so`, `dist/x.whl!pkg/_mod.so`.
    public var path: String
    /// The key of baselines: the path relative to the root it was found under, or the path as
    /// reported when `check` was given several roots (see `ModuleFinder.init(roots:)`).
    public var key: String
    /// The diagnosis, its findings already narrowed by `--allow` and the baseline; nil when
    /// the module could not be read.
    public var diagnosis: Diagnosis?
    public var errors: [ReportError] = []
    public var notes: [String] = []
    /// Symbols accepted by `--allow` (findings that lost all their symbols drop out).
    public var allowedSymbols = 0
    /// Findings (or their symbols) accepted by the baseline.
    public var baselined = 0
    /// Wall-clock seconds spent reading and diagnosing it (JUnit's `time`).
    public var seconds: Double = 0

    public init(path: String, key: String, diagnosis: Diagnosis?) {
        self.path = path
        self.key = key
        self.diagnosis = diagnosis
    }

    public var findings: [Finding] { diagnosis?.findings ?? [] }

    /// Findings at or above the threshold: the ones that fail the gate.
    public func failing(_ threshold: Severity) -> [Finding] { findings.filter { $0.severity >= threshold } }

    public func failed(_ threshold: Severity) -> Bool { !failing(threshold).isEmpty }

    /// `ok`, `fail` (a finding at or above the threshold) or `error` (unusable input).
    public func status(_ threshold: Severity) -> ModuleStatus {
        if diagnosis == nil || !errors.isEmpty { return .error }
        return failed(threshold) ? .fail : .ok
    }
}

/// A module's verdict in the gate (JSON `modules[].status`).
public enum ModuleStatus: String, Sendable {
    case ok, fail, error
}

/// Everything a report renders: the modules in a stable order, and what went wrong finding them.
public struct GateReport: Sendable {
    /// `check` or `diagnose`.
    public var command: String
    /// The lowest severity that fails the gate.
    public var failOn: Severity
    public var modules: [ModuleResult]
    /// Said while looking for modules (skipped `.pyd` files, archives without a shared member).
    public var notes: [String] = []
    /// Paths that could not be used at all (missing, unreadable, broken wheels).
    public var errors: [ReportError] = []
    /// Libraries a repair tool bundled in the wheels and trees (`x.whl!numpy.libs/…`): providers
    /// for those modules only, not modules themselves.
    public var bundled: [String] = []
    /// Baseline entries no current finding matches (`Baseline.stale`), and whether they fail
    /// the gate (`check --fail-on-stale`).
    public var staleBaseline: [String] = []
    public var failOnStale = false

    public init(command: String, failOn: Severity, modules: [ModuleResult]) {
        self.command = command
        self.failOn = failOn
        self.modules = modules
    }

    public var failedCount: Int { modules.filter { $0.status(failOn) == .fail }.count }
    public var errorCount: Int { modules.filter { $0.status(failOn) == .error }.count }
    public var hasErrors: Bool { !errors.isEmpty || errorCount > 0 }

    /// 0 clean, 1 a finding at or above the threshold, 2 unusable input (wins over 1).
    public var exitStatus: Int32 { hasErrors ? 2 : failedCount > 0 || staleFails ? 1 : 0 }
    public var verdict: String { hasErrors ? "error" : failedCount > 0 || staleFails ? "fail" : "ok" }
    var staleFails: Bool { failOnStale && !staleBaseline.isEmpty }
}
