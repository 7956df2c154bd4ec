import MappedFile
import ObjectModel

/// An AIX import/export list (`.exp`, `.imp`), as `ld -bI:`/`-bE:` reads it.
///
/// - `#! path/lib.a(member)` names the module that provides the symbols listed after it;
///   `#!` alone means deferred resolution, `#! .` the main program, `#! ..` the run-time linker.
/// - `# 32`, `# 64`, `# 32_64`, `# no32`, `# no64` restrict the symbols after them to one mode.
/// - `*` lines, and `#` lines that are neither of the above, are comments.
/// - Every other line is a symbol, optionally followed by a keyword (`svc`, `syscall`, `weak`,
///   `export`, …) or an address.
public struct ImportExportFile: Sendable {
    /// Which links a symbol applies to, from the mode line in force.
    public enum Mode: String, Sendable {
        case both, only32, only64
    }

    /// What a `#!` line says about where the symbols after it come from.
    public enum Source: Sendable, Equatable {
        /// No `#!` line yet: an export list (or, with `-bI:`, imports with no module).
        case none
        /// `#!` alone: deferred resolution (the program resolves them with loadbind).
        case deferred
        /// `#! .`: the main program, e.g. `python` itself for CPython's `python.exp`.
        case mainProgram
        /// `#! ..`: resolved by the run-time linker.
        case runtimeLinker
        /// `#! path/base(member)`.
        case module(ImportModule)
    }

    public struct Entry: Sendable {
        public var name: NameView
        public var source: Source
        public var mode: Mode
        /// The keyword or address after the name, if any (`svc`, `syscall`, `0x1000`, …).
        public var qualifier: NameView?
        /// Byte offset of the line in the file.
        public var offset: Int
    }

    public let entries: [Entry]

    /// Keeps the mapping alive: the names in `entries` are views into it.
    public let region: ByteRegion

    /// True when the file's first line is `#!`: then `ld` accepts it as a plain input file.
    public let startsWithModuleLine: Bool

    public init(_ r: ByteRegion) throws(ParseError) {
        // A text input like the others (`TextFile.limit`): a 70 MB list cost 1.8 GB of entries.
        guard r.count <= TextFile.limit else {
            throw r.error("import/export file", at: 0, "\(r.count) bytes, larger than the \(TextFile.limit)-byte bound for text inputs (SYMSCAN_TEXT_LIMIT raises it)")
        }
        region = r
        var entries: [Entry] = []
        var source = Source.none
        var mode = Mode.both
        var lineStart = 0
        var first = true
        var startsWithModuleLine = false
        let all = try r.bytes(0, r.count, "import/export file")
        let bytes = all.bytes
        guard r.count > 0 else {
            self.entries = []
            self.startsWithModuleLine = false
            return
        }
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var line = Self.trim(NameView(start: all.start! + lineStart, count: end - lineStart))
            if let bad = line.bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
                throw r.error("import/export file line", at: lineStart + bad,
                              "control byte 0x\(String(bytes[lineStart + bad], radix: 16)) in a text file (is this really an import/export list?)")
            }
            let leading = (line.start.map { $0 - all.start! } ?? lineStart)
            if line.hasPrefix("#!") {
                if first { startsWithModuleLine = true }
                source = Self.source(Self.trim(line.dropFirst(2)))
            } else if line.hasPrefix("#") {
                if let m = Self.mode(Self.trim(line.dropFirst(1))) { mode = m }
            } else if !line.isEmpty && !line.hasPrefix("*") {
                let (name, rest) = Self.token(line)
                line = Self.trim(rest)
                let (qualifier, _) = Self.token(line)
                entries.append(Entry(name: name, source: source, mode: mode,
                                     qualifier: qualifier.isEmpty ? nil : qualifier, offset: leading))
            }
            if !line.isEmpty || first { first = false }
            lineStart = end + 1
        }
        self.entries = entries
        self.startsWithModuleLine = startsWithModuleLine
    }

    /// The modules named by `#!` lines, in order, without repeats.
    public var modules: [ImportModule] {
        // A set beside the list: a file with one `#!` line per symbol must not cost
        // entries × modules comparisons (found by the fuzzer: 29 s for a 500 KB list).
        var seen: Set<ImportModule> = []
        var out: [ImportModule] = []
        for e in entries {
            if case .module(let m) = e.source, seen.insert(m).inserted { out.append(m) }
        }
        return out
    }

    /// The format-neutral image: every listed name is a defined global (an import list provides
    /// the names it lists; an export list promises them). The run-time view names the modules.
    public func image(path: String, member: String? = nil, storage: MappedFile?) -> ObjectImage {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(entries.count)
        var info = DynamicInfo()
        info.importModules = modules
        for e in entries {
            let isImport = e.source != .none
            symbols.append(Symbol(name: e.name, value: 0, defined: true, binding: .global, kind: .other,
                                  nmLetter: isImport ? UInt8(ascii: "I") : UInt8(ascii: "E")))
            if isImport {
                let module: ImportModule? = switch e.source {
                case .module(let m): m
                case .mainProgram: ImportModule(base: ".")
                case .runtimeLinker: ImportModule(base: "..")
                default: nil
                }
                info.imports.append(DynamicImport(name: e.name, module: module))
            } else {
                info.exports.append(e.name)
            }
        }
        info.symbols = symbols
        var image = ObjectImage(path: path, member: member, format: .exp, kind: .importExport,
                                symbols: symbols, storage: storage)
        image.dynamic = info
        return image
    }

    // MARK: line pieces

    static func source(_ rest: NameView) -> Source {
        let text = rest.string
        switch text {
        case "", "()": return .deferred
        case ".": return .mainProgram
        case "..": return .runtimeLinker
        default:
            var file = Substring(text)
            var member = ""
            if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
                member = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
                file = text[..<open]
            }
            var path = "", base = String(file)
            if let slash = file.lastIndex(of: "/") {
                path = String(file[..<slash])
                base = String(file[file.index(after: slash)...])
            }
            return .module(ImportModule(path: path, base: base, member: member))
        }
    }

    static func mode(_ rest: NameView) -> Mode? {
        let (word, _) = token(rest)
        switch word.string {
        case "32", "no64": return .only32
        case "64", "no32": return .only64
        case "32_64": return .both
        default: return nil
        }
    }

    static func trim(_ v: NameView) -> NameView {
        var start = 0, end = v.count
        let b = v.bytes
        while start < end && (b[start] == 0x20 || b[start] == 0x09) { start += 1 }
        while end > start && (b[end - 1] == 0x20 || b[end - 1] == 0x09 || b[end - 1] == 0x0D) { end -= 1 }
        return NameView(start: v.start.map { $0 + start }, count: end - start)
    }

    /// The first blank-delimited word and what follows it.
    static func token(_ v: NameView) -> (NameView, NameView) {
        let b = v.bytes
        var i = 0
        while i < b.count && b[i] != 0x20 && b[i] != 0x09 { i += 1 }
        return (NameView(start: v.start, count: i), NameView(start: v.start.map { $0 + i }, count: v.count - i))
    }

    /// Whether a text file should be read as an import/export list: it starts with `#!`, or its
    /// name ends in `.exp` or `.imp`.
    public static func looksLikeOne(_ r: ByteRegion, path: String) -> Bool {
        if path.hasSuffix(".exp") || path.hasSuffix(".imp") { return true }
        guard let head = try? r.bytes(0, min(r.count, 16), "first line"), head.hasPrefix("#!") else { return false }
        // `#!/bin/sh` and `#!/usr/bin/env python3` are scripts, not import lists.
        return !head.hasPrefix("#!/bin/") && !head.hasPrefix("#!/usr/bin/")
    }
}
