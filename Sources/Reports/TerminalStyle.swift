#if canImport(Glibc)
import Glibc
#endif

/// ANSI colour for people at a terminal: only when the stream is a terminal and `NO_COLOR`
/// is not set (https://no-color.org).
public struct TerminalStyle: Sendable {
    public let enabled: Bool

    public init(fd: Int32) {
        enabled = isatty(fd) == 1 && getenv("NO_COLOR") == nil
    }

    public init(enabled: Bool) { self.enabled = enabled }

    func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func red(_ s: String) -> String { wrap(s, "1;31") }
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    public func green(_ s: String) -> String { wrap(s, "1;32") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
}
