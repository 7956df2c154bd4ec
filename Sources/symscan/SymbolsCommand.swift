import ArgumentParser
import Demangle
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
            skipped and counted in a note. Files and archive members are read in parallel on all \
            cores; the listing keeps the order of the arguments, then archive order.

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
          help: "Show the run-time view instead of the symbol table: XCOFF loader section (import file IDs, imports with their module, exports; like AIX dump -H -Tv), ELF .dynsym with NEEDED, SONAME, RPATH/RUNPATH and symbol versions.")
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

    /// Files whose images are held in memory at once: enough to keep every core busy, few
    /// enough that a directory of large libraries does not hold all of them.
    static let window = 8 * Parallel.onlineCores

    func run() throws {
        if let jobs { Parallel.maxWorkers = jobs }
        let filter = SymbolFilter(undefinedOnly: undefinedOnly, definedOnly: definedOnly, externOnly: externOnly)
        let (inputs, walkErrors) = InputPaths.expand(files)
        var errors = walkErrors
        var notes: [String] = []
        var skipped: [(directory: String, count: Int)] = []
        let out = OutputBuffer()
        // nm's rule: a heading per image when there is more than one, or for archive members.
        // With more inputs than one window, there is taken to be more than one.
        var headings: Bool? = inputs.count > Self.window ? true : nil
        var firstFile = true
        if format == .json { SymbolListJSON.begin(to: out) }

        var start = 0
        while start < inputs.count {
            let batch = Array(inputs[start..<min(start + Self.window, inputs.count)])
            start += batch.count
            let results = Parallel.map(batch.count) { i in
                ImageLoader.load(path: batch[i].path, foundInDirectory: batch[i].directory != nil)
            }
            var images: [ObjectImage] = []
            for (input, r) in zip(batch, results) {
                if let dir = input.directory, r.isNotAnObject {
                    if skipped.last?.directory == dir { skipped[skipped.count - 1].count += 1 } else { skipped.append((dir, 1)) }
                    continue
                }
                images += r.images
                errors += r.errors
                notes += r.notes
            }
            if headings == nil {
                headings = images.count > 1 || images.contains { $0.member != nil }
            }
            if images.isEmpty { continue }
            if format == .json && !firstFile { out.write(byte: UInt8(ascii: ",")) }
            firstFile = false
            let chunks = render(images, filter: filter, headings: headings!, first: out)
            for chunk in chunks.dropFirst() {
                if format == .json { out.write(byte: UInt8(ascii: ",")) }
                out.write(contentsOf: chunk!)
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

    /// Each image rendered on its own, in parallel: the first straight into `first` (the output,
    /// which nothing else writes to meanwhile; a single large file is not copied through
    /// memory), the others into memory, returned in image order (nil for the first).
    private func render(_ images: [ObjectImage], filter: SymbolFilter, headings: Bool, first: OutputBuffer) -> [OutputBuffer?] {
        let format = self.format, dynamic = self.dynamic, demangle = !noDemangle
        return Parallel.map(images.count) { i -> OutputBuffer? in
            let image = images[i]
            let count = dynamic ? image.dynamic?.symbols.count ?? 0 : image.symbols.count
            // About one line per symbol: sized so that the buffer rarely has to grow.
            let chunk = i == 0 ? first : OutputBuffer(collecting: max(1 << 12, count * (format == .json ? 200 : 64)))
            switch format {
            case .text:
                SymbolListText.render([image], filter: filter, headings: headings, dynamic: dynamic,
                                      demangle: demangle, to: chunk)
            case .json:
                var demangler = Demangler()
                SymbolListJSON.file(image, filter: filter, dynamic: dynamic, demangler: &demangler, to: chunk)
            }
            return i == 0 ? nil : chunk
        }
    }
}
