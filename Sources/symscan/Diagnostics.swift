import ImageLoader
import Reports

/// Error lines on stderr: `symscan: FILE: what is wrong (at byte offset N)`.
enum Diagnostics {
    static func report(_ errors: [InputError], notes: [String] = []) {
        guard !errors.isEmpty || !notes.isEmpty else { return }
        let err = OutputBuffer(fd: 2)
        for n in notes {
            err.write("symscan: note: " as StaticString)
            err.writeEscaped(n)
            err.write(byte: UInt8(ascii: "\n"))
        }
        for e in errors {
            err.write("symscan: " as StaticString)
            err.writeEscaped(e.description)
            err.write(byte: UInt8(ascii: "\n"))
        }
        err.flush()
    }
}
