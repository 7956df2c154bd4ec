import ImageLoader
import MappedFile
import ObjectModel
import Reports

/// How `symbols` (and `link-line`) write: nm-like text or versioned JSON.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}

/// What `symbols` is asked to do, and doing it. Made by the CLI's `SymbolsCommand` from
/// ArgumentParser's parse, or by `init?(parsing:)` without it (SymbolsArguments.swift).
public struct SymbolsRequest: Equatable, Sendable {
    public var files: [String]
    public var filter = SymbolFilter()
    public var format: OutputFormat = .text
    public var dynamic = false
    public var demangle = true
    public var jobs: Int?

    public init(files: [String], filter: SymbolFilter = SymbolFilter(), format: OutputFormat = .text,
                dynamic: Bool = false, demangle: Bool = true, jobs: Int? = nil) {
        self.files = files
        self.filter = filter
        self.format = format
        self.dynamic = dynamic
        self.demangle = demangle
        self.jobs = jobs
    }

    /// Files loaded ahead of the one being written: enough to keep every core busy, few enough
    /// that a directory of large libraries does not hold all of them.
    static let window = 8 * Parallel.onlineCores

    /// Lists every file; returns the exit status (0, or 2 when an input could not be used).
    public func run() -> Int32 {
        if let jobs { Parallel.maxWorkers = jobs }
        // The process exits right after the listing: unmapping each file would only cost the
        // other cores a TLB flush apiece (see `MappedFile.leaveMappingsToExit`).
        // Up to 256 MiB of them: past that, files are unmapped as usual, so that a sweep of a
        // large directory keeps its memory bounded (docs/performance.md, "Listing pipeline").
        MappedFile.leaveMappingsToExit(upTo: 256 << 20)
        let filter = self.filter
        let expansion = InputPaths.expand(files, onlyObjectLike: true)
        let inputs = expansion.inputs
        var errors = expansion.errors
        var notes: [String] = []
        // Files in a directory that are not objects: most are turned away during the walk.
        var skipped = expansion.turnedAway
        let out = OutputBuffer()
        let format = self.format, dynamic = self.dynamic, demangle = self.demangle
        let pipeline = ListingPipeline(inputs: inputs, options: .listing(dynamic: dynamic, filter: filter), window: Self.window) { image in
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
                if let i = skipped.firstIndex(where: { $0.directory == dir }) {
                    skipped[i].count += 1
                } else {
                    skipped.append((dir, 1))
                }
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
            // A large table is decoded as it is written, after the load checked the file, and an
            // archive's members are read as the archive is written: if the file was cut short
            // meanwhile, what was read of it past the cut was zeros.
            let decodedLate = result.images.contains { $0.deferredSymbols != nil || $0.dynamic?.deferredSymbols != nil }
            if let file = writer.archiveDone ?? (decodedLate ? result.images.first?.storage : nil), file.wasTruncated {
                errors.append(InputError(path: input.path, message: "file shrank while being read; its listing above is not reliable"))
            }
        }
        if format == .json {
            SymbolListJSON.end(errors: errors.map { ($0.path, $0.description) }, to: out)
        }
        out.flush()
        for (dir, n) in skipped where n > 0 {
            notes.append("\(dir): \(n) file\(n == 1 ? "" : "s") that \(n == 1 ? "is" : "are") not an object, archive or shared object skipped")
        }
        Diagnostics.report(errors, notes: notes)
        return errors.isEmpty ? 0 : 2
    }
}

