/// The platform whose rules decide what an unresolved symbol means.
public enum Platform: String, Sendable, CaseIterable {
    case linux, aix, android
}

public enum Severity: String, Sendable, Comparable {
    case note, warning, error

    var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One thing the diagnosis wants a person to know. `id` is stable: CI baselines and SARIF
/// rule ids use it.
public struct Finding: Sendable, Equatable {
    public var id: FindingID
    public var severity: Severity
    public var message: String
    /// The symbols the finding is about, if any (for baselines and allow-lists).
    public var symbols: [String] = []

    public init(id: FindingID, severity: Severity, message: String, symbols: [String] = []) {
        self.id = id
        self.severity = severity
        self.message = message
        self.symbols = symbols
    }
}

/// A symbol no input and no linked library provides.
public struct UnresolvedSymbol: Sendable {
    /// As the linker reports it (`.PyErr_Print` for an AIX function).
    public var name: String
    public var weak: Bool
    /// Display names of the libraries that export it (Python's first, then search results).
    public var providers: [String]
    /// Part of the Python C API.
    public var pythonAPI: Bool
    /// Left unresolved on purpose under the platform's rules (Linux: the interpreter provides it).
    public var expected: Bool
    /// The ELF symbol version the reference needs (`GLIBC_2.14`); nil when unversioned.
    public var version: String? = nil
}

/// A library considered as a provider.
public struct LibraryReport: Sendable {
    public var name: String
    public var path: String
    /// Already part of the link (linked by the image, or given with `-l`/`--lib`).
    public var linked: Bool
    public var role: Library.Role
    /// Unresolved references it provides.
    public var provides: Int
    public var linkArguments: [String]
}

/// One input of the link set.
public struct InputSummary: Sendable {
    public var path: String
    public var member: String?
    public var format: String
    public var kind: String
}

/// Everything `diagnose` concluded about one link unit.
public struct Diagnosis: Sendable {
    public var platform: Platform
    public var embedded: Bool
    public var inputs: [InputSummary] = []
    /// References of the diagnosed images, and how many were resolved by the link as given.
    public var referenceCount = 0
    public var resolvedCount = 0
    public var unresolved: [UnresolvedSymbol] = []
    public var libraries: [LibraryReport] = []
    public var missingLinkArguments: [String] = []
    /// Link arguments the fix removes (`-Wl,-z,defs` on a Linux extension module).
    public var removeLinkArguments: [String] = []
    public var findings: [Finding] = []
    /// Where the Python configuration came from, if one was used.
    public var python: String?
    /// Several shared objects given without objects are not one link: each is diagnosed on
    /// its own here, and the fields above sum them up (verdict fail if any module fails).
    public var modules: [Diagnosis] = []
    /// A Rust build (`DiagnoseOptions.rustBuild`): fixes are also shown for cargo.
    public var rustBuild = false
    /// What the report is about when it is not the inputs: a replayed link's output file.
    public var subject: String?

    public var verdictOK: Bool { !findings.contains { $0.severity == .error } }
    public var verdict: String { verdictOK ? "ok" : "fail" }
}
