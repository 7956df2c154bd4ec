#if canImport(Glibc)
import Glibc
#endif

/// `--allow GLOB`: symbol names accepted by the gate, matched with fnmatch(3) shell patterns
/// (`*`, `?`, `[...]`; no special meaning for `/` or a leading `.`, since these are symbol
/// names, not paths: `.Py*` matches the AIX entry point `.PyErr_Print`).
public struct AllowList: Sendable {
    public let patterns: [String]

    public init(_ patterns: [String]) { self.patterns = patterns }

    public var isEmpty: Bool { patterns.isEmpty }

    public func allows(_ symbol: String) -> Bool {
        patterns.contains { fnmatch($0, symbol, 0) == 0 }
    }
}
