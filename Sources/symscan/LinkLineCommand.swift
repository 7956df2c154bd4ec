import Listing
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

            The link is replayed for its target: AIX (any -b option, -maix64, an AIX cross \
            tool, XCOFF inputs, or an AIX linker's messages such as 0711-317) must resolve every \
            symbol unless -berok/-G; an ELF -shared link may leave symbols undefined unless \
            -z defs. Inputs are replayed in order as the linker reads them (--as-needed, \
            -Bstatic, --start-group, --whole-archive per position; GNU ld, gold or lld rules), \
            with what a compiler driver adds (asked with -###); a library placed before the \
            objects that need it gets a library-order error. On a Linux extension module, \
            -z defs/--no-undefined is what makes the Python symbols fail: the fix drops it \
            (never links libpython). An AIX link read here trusts the AIX system libraries it \
            names (-lc -lm -lpthread ...) as the target's. -L, -l and --lib add to the link \
            line's own. Output has the shapes of `diagnose`; RUSTFLAGS and build.rs lines only \
            for a rustc link. Options may come before or after the text; the command's words go \
            after --.

            Examples:
              cargo build 2>&1 | symscan link-line
              symscan link-line @link-error.txt
              symscan link-line "cc -shared -o _x.so x.o -L/opt/lib -lfoo -Wl,-z,defs"
              symscan link-line -- xlc -G -o _x.so x.o -bI:python.exp

            Exit status: 0 the link resolves, 1 it does not, 2 no command found or unusable input.
            """
    )

    @OptionGroup var libraries: LibraryOptions

    @OptionGroup var providers: ProviderOptions

    @OptionGroup var report: DiagnosisOutputOptions

    @Argument(help: ArgumentHelp("The command text: - for stdin (the default), @FILE for a file, or the whole command as one argument.", valueName: "text"))
    var text: String?

    @Argument(parsing: .postTerminator,
              help: ArgumentHelp("The command's words, after --.", valueName: "word"))
    var words: [String] = []

    func validate() throws {
        if text != nil && !words.isEmpty {
            throw ValidationError("give the command either as text or as words after --, not both")
        }
    }

    func run() throws {
        let input: String
        let source: String
        if !words.isEmpty {
            // The words of the command, already split by the shell: quote them back.
            input = words.map { "'" + $0.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }
                .joined(separator: " ")
            source = "<words after -->"
        } else if let text, text.hasPrefix("@"), text.count > 1 {
            let path = String(text.dropFirst())
            guard let t = readFile(path) else {
                Diagnostics.report([InputError(path: path, message: "cannot read the link line file")])
                throw ExitCode(2)
            }
            input = t
            source = path
        } else if let text, text != "-" {
            input = text
            source = "<argument>"
        } else {
            input = StandardInput.readAll()
            source = "<stdin>"
        }
        let parsed = CommandLineText(parsing: input)
        var base = DiagnoseOptions(inputs: [])
        // -L, -l and --lib given here are added to the link line's own.
        libraries.apply(to: &base)
        providers.apply(to: &base)
        guard var replay = LinkReplay.run(parsed, base: base) else {
            Diagnostics.report([InputError(path: source, message: "no linker command line (cc/gcc/clang/xlc/ld …) and no undefined-symbol errors found in the text")])
            throw ExitCode(2)
        }
        // What the link makes is what the report is about.
        replay.diagnose.diagnosis?.subject = replay.command.output
        let result = replay.diagnose
        let omitted = replay.command.omittedObjects > 0 ? " and \(replay.command.omittedObjects) omitted by rustc" : ""
        let heading = replay.command.program.isEmpty
            ? "link: no command line in the text; the \(parsed.undefinedInErrors.count) undefined symbols of the linker's error lines"
            : "link: \(replay.command.program) → \(replay.command.output ?? "a.out") (\(replay.command.inputs.count) inputs\(omitted), \(Set(replay.command.libraries).count) -l)"
        try report.emit(result, command: "link-line", subject: replay.command.output ?? source, heading: heading)
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
