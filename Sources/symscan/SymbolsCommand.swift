import ArgumentParser
import ImageLoader
import ObjectModel
import Reports

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct SymbolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbols",
        abstract: "List the symbols of objects, shared objects and executables, like nm.",
        discussion: """
            Text output has nm's shape: value, type letter, name (U undefined, T/t text, D/d data, \
            B/b bss, W/w weak, a absolute, f file; upper case = external).

            Examples:
              symscan symbols module.o
              symscan symbols --undefined-only --extern-only _demo.so
              symscan symbols --format json libfoo.so > symbols.json

            A file that cannot be read is reported on stderr as \
            "symscan: FILE: what is wrong (at byte offset N)"; the other files are still listed \
            and the exit status is 2.
            """
    )

    @Argument(help: "Object, shared object or executable files.")
    var files: [String]

    @Flag(name: [.customShort("u"), .long], help: "List only undefined symbols.")
    var undefinedOnly = false

    @Flag(name: [.long], help: "List only defined symbols.")
    var definedOnly = false

    @Flag(name: [.customShort("g"), .long], help: "List only external symbols (C_EXT and C_WEAKEXT; ELF global and weak).")
    var externOnly = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: [.customShort("D"), .long],
          help: "Show the run-time view instead of the symbol table: XCOFF loader section (import file IDs, imports with their module, exports; like AIX dump -H -Tv), ELF .dynsym with NEEDED, SONAME, RPATH/RUNPATH and symbol versions.")
    var dynamic = false

    @Flag(name: [.customLong("no-demangle")], help: "Show C++ and Rust names as stored (text output demangles by default; JSON always has the raw name).")
    var noDemangle = false

    func validate() throws {
        if undefinedOnly && definedOnly {
            throw ValidationError("--undefined-only and --defined-only cannot be used together.")
        }
        if files.isEmpty { throw ValidationError("give at least one FILE.") }
    }

    func run() throws {
        let filter = SymbolFilter(undefinedOnly: undefinedOnly, definedOnly: definedOnly, externOnly: externOnly)
        var images: [ObjectImage] = []
        var errors: [InputError] = []
        var notes: [String] = []
        for path in files {
            let r = ImageLoader.load(path: path)
            images += r.images
            errors += r.errors
            notes += r.notes
        }
        let out = OutputBuffer()
        switch format {
        case .text:
            SymbolListText.render(images, filter: filter, headings: images.count > 1 || images.contains { $0.member != nil },
                                  dynamic: dynamic, demangle: !noDemangle, to: out)
        case .json:
            SymbolListJSON.render(images, errors: errors.map { ($0.path, $0.description) }, filter: filter, dynamic: dynamic, to: out)
        }
        out.flush()
        Diagnostics.report(errors, notes: notes)
        if !errors.isEmpty { throw ExitCode(2) }
    }
}
