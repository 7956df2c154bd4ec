import ImageLoader

/// Replays a failed link from its command line: the inputs it names, its `-L`/`-l` search and
/// its options decide what must resolve, then the diagnosis says what is missing.
public enum LinkReplay {
    public struct Result: Sendable {
        public var command: LinkCommand
        public var diagnose: DiagnoseResult
    }

    /// `base` carries the provider options of the CLI (Python, platform, search, environment);
    /// the link line supplies inputs, library directories, libraries and import files.
    public static func run(_ text: CommandLineText, base: DiagnoseOptions) -> Result? {
        guard !text.arguments.isEmpty || !text.undefinedInErrors.isEmpty else { return nil }
        var command = LinkCommand(text.arguments)
        // A compiler driver's link: what it passes before the user's words (`--as-needed` on
        // Debian and Ubuntu) and which linker it runs change what the order means.
        var driverCall: DriverCall?
        if DriverInputs.isDriver(command.program) && !command.saysAIX {
            let call = DriverCall(program: command.program, flags: command.driverFlags, shared: command.shared, staticLink: command.staticLink)
            driverCall = call
            if let d = DriverInputs.of(call), d.asNeededAtStart {
                command = LinkCommand(text.arguments, asNeededAtStart: true)
            }
        }
        var o = base
        var preNotes: [String] = []
        var preErrors: [InputError] = []
        expandSysroot(&command, notes: &preNotes)
        // rustc deletes its temporary objects after a failed link; with the linker's error
        // lines we can still say who provides the symbols.
        var gone = command.omittedObjects
        for input in command.inputs {
            if FileSystem.isRegularFile(input) {
                o.inputs.append(input)
                continue
            }
            gone += 1
            if text.undefinedInErrors.isEmpty {
                preErrors.append(InputError(path: input, message: "no such file (named on the link line)"))
            }
        }
        // One fact, one note: however many inputs are gone.
        let total = command.inputs.count + command.omittedObjects
        let goneNote = gone > 0 && !text.undefinedInErrors.isEmpty
            ? "\(gone) of \(total) inputs on the link line \(gone == 1 ? "is" : "are") gone; the \(text.undefinedInErrors.count) undefined symbols the linker reported are checked instead" : nil
        if command.omittedObjects > 0 && goneNote == nil {
            preNotes.append("rustc omitted \(command.omittedObjects) object files from its note; what they define and need is unknown")
        }
        if command.inputs.isEmpty {
            // Only the linker's error lines: there is no module to look into.
            o.checkModuleInit = false
        } else if gone > 0 {
            // What the missing objects export is unknown, PyInit_<name> included.
            o.checkModuleInit = false
            if o.moduleName != nil || command.shared {
                preNotes.append((goneNote ?? "\(gone) of \(total) inputs on the link line \(gone == 1 ? "is" : "are") gone") + "; PyInit_<name> not checked")
            } else if let goneNote {
                preNotes.append(goneNote)
            }
        }
        o.extraReferences = text.undefinedInErrors
        // AIX tools take their width from OBJECT_MODE when no option gives it.
        o.linkBits = command.bits ?? base.environment["OBJECT_MODE"].flatMap { $0 == "32" ? 32 : $0 == "64" ? 64 : nil }
        o.libraryDirectories = command.libraryDirectories + base.libraryDirectories
        o.libraries = command.libraries + base.libraries
        // The line's own order, without the inputs that are gone (nothing to read at their place).
        o.linkItems = command.items.filter { item in
            if case .file(let p) = item.what { return o.inputs.contains(p) }
            return true
        } + base.libraries.map { LinkItem(.library($0)) }
        o.driver = driverCall
        o.linker = LinkerFlavour(program: command.program)
        o.libraryFiles = command.importFiles + base.libraryFiles
        o.runtimeLinking = command.runtimeLinking || base.runtimeLinking
        o.wholeArchive = command.wholeArchive
        // What gone inputs needed is unknown: no library can be called unused.
        o.reportUnusedLibraries = gone == 0
        o.compilerDriver = !command.programIsLinker
        if command.shared && command.noUndefined { o.noUndefinedOptions = noUndefinedWords(text.arguments) }
        o.rustBuild = base.rustBuild || text.fromRustc || command.inputs.contains { RustInputs.isRust($0) }
        let aix = base.platform == .aix || (base.platform == nil && (command.saysAIX || text.errorsSayAIX || inputsAreXCOFF(o.inputs)))
        if aix { o.platform = .aix }
        o.checkTOC = aix
        o.bigTOC = command.bigTOC
        if aix {
            o.linkRule = command.errorsOK ? .allowUndefined : .strict
        } else {
            o.linkRule = command.shared && !command.noUndefined ? .allowUndefined : .strict
        }
        if o.moduleName == nil, let out = command.output {
            let file = FileSystem.baseName(out)
            let stem = file.prefix { $0 != "." }
            if !stem.isEmpty, command.shared { o.moduleName = String(stem.hasPrefix("lib") && file.hasSuffix(".a") ? stem.dropFirst(3) : stem) }
        }
        var result = Diagnoser.run(o)
        result.errors = preErrors + result.errors
        result.notes = preNotes + text.unreadableResponseFiles.map { "response file @\($0) could not be read" } + result.notes
        if var d = result.diagnosis {
            d.findings += optionFindings(command, aix: aix, text: text)
            if let bits = command.bits, aix {
                let odd = d.inputs.filter { ($0.format == "xcoff32" && bits == 64) || ($0.format == "xcoff64" && bits == 32) }
                if !odd.isEmpty {
                    d.findings.append(Finding(
                        id: .mixedXCOFFWidth, severity: .error,
                        message: "the link is \(bits)-bit (-b\(bits)/-maix\(bits)), but \(odd.map { i in i.member.map { "\(i.path)(\($0))" } ?? i.path }.joined(separator: ", ")) \(odd.count == 1 ? "is" : "are") \(bits == 64 ? 32 : 64)-bit: rebuild with OBJECT_MODE=\(bits)"))
                }
            }
            d.findings.sort { $0.severity > $1.severity }
            result.diagnosis = d
        }
        return Result(command: command, diagnose: result)
    }

    /// rustc's `<sysroot>/lib/rustlib/…/{libstd-*,…}.rlib` made concrete with `rustc --print
    /// sysroot`; without rustc on PATH they stay unknown (a note), like gone inputs.
    private static func expandSysroot(_ command: inout LinkCommand, notes: inout [String]) {
        guard command.inputs.contains(where: { $0.hasPrefix("<sysroot>") })
                || command.libraryDirectories.contains(where: { $0.hasPrefix("<sysroot>") }) else { return }
        guard let root = RustcPlaceholders.sysroot() else {
            notes.append("the link line names rustc's <sysroot>, and rustc is not on PATH to say where that is: those inputs are not checked")
            command.omittedObjects += command.inputs.filter { $0.hasPrefix("<sysroot>") }.count
            command.inputs.removeAll { $0.hasPrefix("<sysroot>") }
            command.items.removeAll { if case .file(let p) = $0.what { return p.hasPrefix("<sysroot>") }; return false }
            command.libraryDirectories.removeAll { $0.hasPrefix("<sysroot>") }
            return
        }
        command.libraryDirectories = command.libraryDirectories.map { $0.hasPrefix("<sysroot>") ? root + $0.dropFirst("<sysroot>".count) : $0 }
        command.inputs = command.inputs.flatMap { RustcPlaceholders.expand($0, sysroot: root) ?? [$0] }
        command.items = command.items.flatMap { item -> [LinkItem] in
            guard case .file(let p) = item.what, let files = RustcPlaceholders.expand(p, sysroot: root) else { return [item] }
            return files.map { var i = item; i.what = .file($0); return i }
        }
    }

    /// The words of the command that make undefined symbols errors (`-Wl,-z,defs`,
    /// `-Wl,--no-undefined`, `-z defs`), as written: each word is read as a command of its own.
    static func noUndefinedWords(_ args: [String]) -> [String] {
        guard let program = args.first else { return [] }
        var out: [String] = []
        var i = 1
        while i < args.count {
            let pair = i + 1 < args.count && (args[i] == "-z" || args[i] == "-Xlinker") ? [args[i], args[i + 1]] : [args[i]]
            if LinkCommand([program] + pair).noUndefined { out.append(pair.joined(separator: " ")) }
            i += pair.count
        }
        return out
    }

    /// Whether any input is XCOFF (or an AIX archive or import list), from its first bytes:
    /// the diagnosis parses the inputs afterwards, so they are not parsed here too.
    private static func inputsAreXCOFF(_ inputs: [String]) -> Bool {
        inputs.contains { TargetKind(family: .xcoff).mightMatch(path: $0) }
    }

    /// What the options themselves get wrong for the target.
    static func optionFindings(_ c: LinkCommand, aix: Bool, text: CommandLineText) -> [Finding] {
        var out: [Finding] = []
        if aix && !c.elfOnlyOptions.isEmpty {
            let advice = c.elfOnlyOptions.map { opt -> String in
                switch opt {
                case let o where o.contains("rpath") || o == "-R": "\(o) → -blibpath:DIR:/usr/lib:/lib"
                case let o where o.contains("soname") || o.hasPrefix("-h"): "\(o) → drop it (AIX names a shared object by its archive member)"
                case "--as-needed", "--no-as-needed": "\(opt) → drop it"
                case "-z defs", "--no-undefined": "\(opt) → -bernotok"
                default: "\(opt) → drop it"
                }
            }
            out.append(Finding(
                id: .elfOptionOnAIX, severity: .error,
                message: "AIX's linker rejects ELF-only options (ld: 0706-012 The -h flag is not recognized): \(advice.joined(separator: "; "))"))
        }
        if !c.unknownOptions.isEmpty {
            out.append(Finding(id: .unknownOptions, severity: .note,
                               message: "options not modelled (they may still matter): \(c.unknownOptions.joined(separator: " "))"))
        }
        if aix && c.shared && !c.noEntry && c.program.hasSuffix("ld") {
            out.append(Finding(id: .aixSharedWithoutNoentry, severity: .note,
                               message: "a shared object linked with ld directly usually needs -bnoentry (ld: 0711-327 WARNING: Entry point not found)"))
        }
        return out
    }
}
