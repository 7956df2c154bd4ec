import ImageLoader
import Reports

/// Error lines on stderr: `symscan: FILE: what is wrong (at byte offset N)`.
enum Diagnostics {
    static func report(_ errors: [InputError]) {
        guard !errors.isEmpty else { return }
        let err = OutputBuffer(fd: 2)
        for e in errors {
            err.write("symscan: " as StaticString)
            err.write(e.description)
            err.write(byte: UInt8(ascii: "\n"))
        }
        err.flush()
    }

    /// Notes on stderr (`symscan: note: archive.a(lib.rmeta): skipped: …`); they do not change
    /// the exit status.
    static func note(_ notes: [String]) {
        guard !notes.isEmpty else { return }
        let err = OutputBuffer(fd: 2)
        for n in notes {
            err.write("symscan: note: " as StaticString)
            err.write(n)
            err.write(byte: UInt8(ascii: "\n"))
        }
        err.flush()
    }
}
