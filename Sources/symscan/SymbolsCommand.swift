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

    /// Files loaded ahead of the one being written: enough to keep every core busy, few enough
    /// that a directory of large libraries does not hold all of them.
    static let window = 8 * Parallel.onlineCores

    func run() throws {
        if let jobs { Parallel.maxWorkers = jobs }
        let filter = SymbolFilter(undefinedOnly: undefinedOnly, definedOnly: definedOnly, externOnly: externOnly)
        let (inputs, walkErrors) = InputPaths.expand(files)
        var errors = walkErrors
        var notes: [String] = []
        var skipped: [(directory: String, count: Int)] = []
        let out = OutputBuffer()
        let format = self.format, dynamic = self.dynamic, demangle = !noDemangle
        let pipeline = ListingPipeline(inputs: inputs, options: .listing(dynamic: dynamic), window: Self.window) { image in
            switch format {
            case .text: SymbolListText(image, filter: filter, dynamic: dynamic, demangle: demangle)
            case .json: SymbolListJSON.File(image, filter: filter, dynamic: dynamic)
            }
        }
        // nm's rule: a heading per image when there is more than one, or for archive members.
        var headings: Bool?
        var firstImage = true
        if format == .json { SymbolListJSON.begin(to: out) }
        pipeline.run { f, result, writer in
            let input = inputs[f]
            if let dir = input.directory, result.isNotAnObject {
                if skipped.last?.directory == dir { skipped[skipped.count - 1].count += 1 } else { skipped.append((dir, 1)) }
                return
            }
            errors += result.errors
            notes += result.notes
            if headings == nil && !result.images.isEmpty { headings = pipeline.moreThanOneImage(from: f) }
            for i in result.images.indices {
                if format == .json && !firstImage { out.write(byte: UInt8(ascii: ",")) }
                firstImage = false
                writer.writeImage(i, headings: headings ?? false, to: out)
            }
            // Symbols are decoded as they are written: a file cut short meanwhile reads as zeros.
            if let file = result.images.first?.storage, file.wasTruncated {
                errors.append(InputError(path: input.path, message: "file shrank while being read; its listing above is not reliable"))
            }
        }
        if format == .json {
            SymbolListJSON.end(errors: errors.map { ($0.path, $0.description) }, to: out)
        }
        out.flush()
        for (dir, n) in skipped {
            notes.append("\(dir): \(n) file\(n == 1 ? "" : "s") that \(n == 1 ? "is" : "are") not an object, archive or shared object skipped")
        }
        Diagnostics.report(errors, notes: notes)
        if !errors.isEmpty { throw ExitCode(2) }
    }
}
