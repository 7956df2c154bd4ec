import ArgumentParser
import ImageLoader
import Listing
import ObjectModel
import Reports

extension OutputFormat: ExpressibleByArgument {}

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

            A directory stands for every object, archive and shared object under it, recursively \
            (names sorted, symbolic links not followed); files in it that are not objects are \
            skipped and counted in a note. Files, archive members and the chunks of large symbol \
            tables are read and rendered in parallel on all cores; the listing keeps the order of \
            the arguments, then archive order, then table order.

            A file that cannot be read is reported on stderr as \
            "symscan: FILE: what is wrong (at byte offset N)"; the other files are still listed \
            and the exit status is 2.
            """
    )

    @Argument(help: "Object, archive, shared object or executable files, or directories to scan recursively.")
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
          help: "Show the run-time view instead of the symbol table: XCOFF loader section (import file IDs, imports with their module, exports; like AIX dump -H -Tv), ELF .dynsym with NEEDED, SONAME, RPATH/RUNPATH and symbol versions. The symbol table is then not read (like nm -D), so damage to it goes unreported.")
    var dynamic = false

    @Flag(name: [.customLong("no-demangle")], help: "Show C++ and Rust names as stored (text output demangles by default; JSON always has the raw name).")
    var noDemangle = false

    @Option(name: [.customShort("j"), .long], help: "Read and render on at most N threads (default: one per core; 1 reads one file after another).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if undefinedOnly && definedOnly {
            throw ValidationError("--undefined-only and --defined-only cannot be used together.")
        }
        if files.isEmpty { throw ValidationError("give at least one FILE.") }
    }

    func run() throws {
        let status = request.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// The request this parse stands for (the fast parser in Listing must make the same one).
    var request: SymbolsRequest {
        SymbolsRequest(files: files, filter: SymbolFilter(undefinedOnly: undefinedOnly, definedOnly: definedOnly, externOnly: externOnly),
                       format: format, dynamic: dynamic, demangle: !noDemangle, jobs: jobs)
    }
}
