import ImageLoader

/// The one path from symscan to stderr: every message a person reads there is a line
/// `symscan: …` written here (`symscan: FILE: what is wrong (at byte offset N)`,
/// `symscan: note: …`), so the prefix, the order (notes, then errors) and the flushing are
/// decided once.
public enum Diagnostics {
    /// Notes first, then one line per input that could not be used.
    public static func report(_ errors: [InputError], notes: [String] = []) {
        lines(notes.map { "note: " + $0 } + errors.map(\.description))
    }

    /// Inputs of a report that could not be used (`ReportError` already carries the offset).
    public static func report(_ errors: [ReportError]) {
        lines(errors.map { "\($0.path): \($0.message)" })
    }

    /// One message of the tool's own (a usage error, a summary, a statistic).
    public static func say(_ message: String) { lines([message]) }

    public static func lines(_ messages: [String]) {
        guard !messages.isEmpty else { return }
        let err = OutputBuffer(fd: 2)
        for m in messages {
            err.write("symscan: " as StaticString)
            err.write(m)
            err.write(byte: UInt8(ascii: "\n"))
        }
        err.flush()
    }
}
