import ArgumentParser
import ImageLoader
import Linkage
import Reports

#if canImport(Glibc)
import Glibc
#endif

struct LinkLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link-line",
        abstract: "Replay a failed link from its command line and say what is missing.",
        discussion: """
            Reads a linker command line: rustc's `note: "cc" "-m64" …` block, a shell-quoted \
            cc/gcc/clang/xlc/ld line, @response files. Linker error lines pasted with it \
            (`ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print`, GNU `undefined reference to`) \
            are used when the inputs are gone.

            The link is replayed for its target: AIX (any -b option, -maix64, or XCOFF inputs) \
            must resolve every symbol unless -berok/-G; an ELF -shared link may leave symbols \
            undefined unless -z defs. Output has the shapes of `diagnose`.

            Examples:
              cargo build 2>&1 | symscan link-line
              symscan link-line @link-error.txt
              symscan link-line "cc -shared -o _x.so x.o -L/opt/lib -lfoo -Wl,-z,defs"
              symscan link-line -- xlc -G -o _x.so x.o -bI:python.exp

            Exit status: 0 the link resolves, 1 it does not, 2 no command found or unusable input.
            """
    )

    @OptionGroup var providers: ProviderOptions

    @Flag(help: "List every unresolved symbol.")
    var all = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Argument(parsing: .captureForPassthrough,
              help: ArgumentHelp("The command text, - for stdin (the default), @FILE for a file, or the command's words after --.", valueName: "text"))
    var text: [String] = []

    func run() throws {
        let input: String
        if text.isEmpty || text == ["-"] {
            input = StandardInput.readAll()
        } else if text.count == 1, text[0].hasPrefix("@"), text[0].count > 1 {
            let path = String(text[0].dropFirst())
            guard let t = readFile(path) else {
                Diagnostics.report([InputError(path: path, message: "cannot read the link line file")])
                throw ExitCode(2)
            }
            input = t
        } else if text.count == 1 {
            input = text[0]
        } else {
            // The words of the command, already split by the shell: quote them back.
            input = text.map { "'" + $0.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }
                .joined(separator: " ")
        }
        let parsed = CommandLineText(parsing: input)
        var base = DiagnoseOptions(inputs: [])
        providers.apply(to: &base)
        guard let replay = LinkReplay.run(parsed, base: base) else {
            Diagnostics.report([InputError(path: text.first ?? "<stdin>", message: "no linker command line (cc/gcc/clang/xlc/ld …) and no undefined-symbol errors found in the text")])
            throw ExitCode(2)
        }
        let result = replay.diagnose
        let out = OutputBuffer()
        switch format {
        case .json:
            DiagnosisJSON.render(result.diagnosis, errors: result.errors.map { ($0.path, $0.description) }, to: out)
        case .text:
            if let d = result.diagnosis {
                out.write("link: \(replay.command.program) → \(replay.command.output ?? "a.out") (\(replay.command.inputs.count) inputs, \(replay.command.libraries.count) -l)\n")
                DiagnosisText.render(d, showAll: all, style: TerminalStyle(fd: 1), to: out)
            }
        }
        out.flush()
        Diagnostics.report(result.errors, notes: result.notes)
        if !result.errors.isEmpty || result.diagnosis == nil { throw ExitCode(2) }
        if !(result.diagnosis?.verdictOK ?? false) { throw ExitCode(1) }
    }

    private func readFile(_ path: String) -> String? {
        guard let f = try? MappedFileText.read(path) else { return nil }
        return f
    }
}

/// Whole-file and stdin reads for command text, without Foundation.
enum MappedFileText {
    static func read(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExitCode(2) }
        defer { close(fd) }
        return StandardInput.readAll(fd: fd)
    }
}

enum StandardInput {
    static func readAll(fd: Int32 = 0) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
