import ImageLoader
import MappedFile
import ObjectModel

/// The positions of a link, from its items to what each holds: input files as loaded, `-l`
/// found in the search path, linker scripts followed to the files they name (as ld reads
/// `libc.so`), the compiler driver's implicit libraries at the end.
struct LinkInputs {
    var steps: [LinkStep] = []
    var findings: [Finding] = []
    let platform: Platform?
    /// `-l` arguments trusted as the target platform's system libraries, in link order, once each.
    private(set) var targetLibraries: [String] = []
    var notes: [String] = []
    /// Linker scripts that cannot be parsed: ld stops there, so they are input errors.
    var errors: [InputError] = []
    /// Input files that turned out to be linker scripts: their "not an object" error is void.
    var scriptInputs = Set<String>()
    /// Definitions of the driver's start files (`crti.o`, `crtbeginS.o`, …).
    var startFileDefinitions = Set<NameView>()
    /// Keeps the start files' mappings alive while their names are used.
    private var startFiles: [ObjectImage] = []
    private var loadedLibraries: [String: Library] = [:]

    /// Linker scripts may name scripts; ld stops at some depth, so do we (and at loops).
    static let maxScriptDepth = 8

    let target: TargetKind
    let search: LibrarySearch

    /// `items`: the link's positions (a replayed command line's, or `diagnose`'s inputs then its
    /// libraries); `loaded`: the input files already read, matched to `.file` items by path in
    /// order; a `.file` item without a loaded match is a library file (`--lib`).
    /// `platform`: the target's, when known; its system libraries that are not here (an AIX
    /// link read on Linux) are trusted as the target's, in one note, not reported missing.
    init(items: [LinkItem], loaded: [LoadResult], driver: DriverInputs?, target: TargetKind, search: LibrarySearch,
         platform: Platform? = nil) {
        self.target = target
        self.search = search
        self.platform = platform
        var byPath: [String: [LoadResult]] = [:]
        for r in loaded { byPath[r.path, default: []].append(r) }
        for item in items {
            switch item.what {
            case .groupStart, .groupEnd:
                steps.append(LinkStep(item: item))
            case .library(let name):
                addLibrary(name, item: item)
            case .file(let path):
                if var queue = byPath[path], !queue.isEmpty {
                    let r = queue.removeFirst()
                    byPath[path] = queue
                    if r.isNotAnObject, followScript(path, item: item, depth: 0, seen: []) {
                        scriptInputs.insert(path)
                    } else {
                        steps.append(LinkStep(item: item, images: r.images))
                    }
                } else {
                    addFile(path, item: item, arguments: [path], depth: 0, seen: [])
                }
            }
        }
        // Inputs not named by an item (wheel members read into memory) come first, in order.
        let unnamed = byPath.values.flatMap { $0 }
        if !unnamed.isEmpty {
            let order = Dictionary(loaded.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
            steps = unnamed.sorted { (order[$0.path] ?? 0) < (order[$1.path] ?? 0) }
                .map { LinkStep(item: LinkItem(.file($0.path)), images: $0.images) } + steps
        }
        guard let driver else { return }
        for f in driver.startFiles {
            for image in ImageLoader.load(path: f).images where target.accepts(image) {
                startFiles.append(image)
                startFileDefinitions.formUnion(image.linkDefinedKeys())
            }
        }
        for item in driver.items {
            switch item.what {
            case .library(let name): addLibrary(name, item: item)
            default: steps.append(LinkStep(item: item))
            }
        }
    }

    /// Notes `argument` as a system library of the target platform when it is one; true then.
    private mutating func trustAsTargetSystemLibrary(_ argument: String) -> Bool {
        guard let platform, TargetSystemLibraries.contains(String(argument.dropFirst(2)), on: platform) else { return false }
        if !targetLibraries.contains(argument) { targetLibraries.append(argument) }
        return true
    }

    /// The one note for every trusted target system library, in the order the link names them.
    var targetLibraryFinding: Finding? {
        guard let platform, !targetLibraries.isEmpty else { return nil }
        return Finding(id: .targetSystemLibrary, severity: .note,
                       message: "\(targetLibraries.joined(separator: " ")): \(platform == .aix ? "AIX" : platform.rawValue) system libraries, not on this machine; trusted as the target's")
    }

    private mutating func addLibrary(_ name: String, item: LinkItem, searchAlso extra: [String] = [], depth: Int = 0, seen: Set<String> = []) {
        var s = search
        s.staticOnly = s.staticOnly || item.staticOnly
        s.userDirectories += extra
        guard let path = s.find(library: name) else {
            if !item.implicit, trustAsTargetSystemLibrary("-l\(name)") { return }
            if item.implicit {
                notes.append("-l\(name), which the compiler driver adds, is not found here; what it provides is not checked")
            } else {
                findings.append(Finding(
                    id: .libraryNotFound, severity: .error,
                    message: "-l\(name): no \(target.family == .elf ? "lib\(name).so or lib\(name).a" : "lib\(name).a") in \(s.allDirectories.joined(separator: ", "))"))
            }
            return
        }
        addFile(path, item: item, arguments: ["-l\(name)"], depth: depth, seen: seen)
    }

    /// A library file at its position: a shared object, archive or import list; a linker script
    /// is followed instead; an empty archive is a library that provides nothing.
    private mutating func addFile(_ path: String, item: LinkItem, arguments: [String], depth: Int, seen: Set<String>) {
        // The driver names -lgcc and -lgcc_s twice: read each library once.
        let key = path + "\u{0}" + arguments.joined(separator: " ")
        if let lib = loadedLibraries[key] {
            steps.append(LinkStep(item: item, images: lib.images, library: lib))
            return
        }
        if let lib = Library.load(path: path, role: .given, target: target, linkArguments: arguments) {
            loadedLibraries[key] = lib
            steps.append(LinkStep(item: item, images: lib.images, library: lib))
            return
        }
        if followScript(path, item: item, depth: depth, seen: seen) { return }
        if Self.isEmptyArchive(path) {
            // glibc 2.34 and later install libpthread.a, libdl.a, librt.a, libutil.a empty: valid
            // for the linker, which takes nothing from them.
            let lib = Library(path: path, role: .given, images: [], linkArguments: arguments)
            lib.isEmptyArchive = true
            steps.append(LinkStep(item: item, library: lib))
            return
        }
        guard !item.implicit else { return }
        // This machine's own libc.a found for an AIX -lc is not the target's either.
        if let a = arguments.first, a.hasPrefix("-l"), trustAsTargetSystemLibrary(a) { return }
        findings.append(Finding(
            id: .libraryUnusable, severity: .warning,
            message: "\(path) \(Library.whyUnusable(path: path, target: target)), so it provides nothing here"))
    }

    /// Reads `path` as a GNU ld script and adds the files it names at this position. False when
    /// it is not a script; a malformed one is reported (and provides nothing).
    private mutating func followScript(_ path: String, item: LinkItem, depth: Int, seen: Set<String>) -> Bool {
        guard let file = try? MappedFile(path: path) else { return false }
        let script: LinkerScript
        do {
            guard let s = try LinkerScript.parse(file.region) else { return false }
            script = s
        } catch {
            errors.append(InputError(path: path, message: "malformed linker script: \(error.structure): \(error.problem)", offset: error.offset))
            return true
        }
        let canonical = FileSystem.canonical(path)
        guard depth < Self.maxScriptDepth, !seen.contains(canonical) else {
            notes.append("\(path): linker scripts nest too deep or name each other in a loop; not followed further")
            return true
        }
        let seen = seen.union([canonical])
        for entry in script.entries {
            switch entry {
            case .groupStart: steps.append(LinkStep(item: LinkItem(.groupStart, implicit: item.implicit)))
            case .groupEnd: steps.append(LinkStep(item: LinkItem(.groupEnd, implicit: item.implicit)))
            case .library(let name, let asNeeded):
                var i = item
                i.asNeeded = item.asNeeded || asNeeded
                addLibrary(name, item: i, searchAlso: script.searchDirectories, depth: depth + 1, seen: seen)
            case .file(let name, let asNeeded):
                var i = item
                i.asNeeded = item.asNeeded || asNeeded
                guard let found = Self.locate(name, script: path, searchDirectories: script.searchDirectories + search.allDirectories) else {
                    if !item.implicit {
                        findings.append(Finding(id: .libraryNotFound, severity: .error,
                                                message: "\(name), named by the linker script \(path), is not found"))
                    }
                    continue
                }
                addFile(found, item: i, arguments: item.what == .file(path) ? [path] : [item.argument], depth: depth + 1, seen: seen)
            }
        }
        return true
    }

    /// Where ld finds a file a script names: `=`/`$SYSROOT` paths under the sysroot (`/` for a
    /// native linker), absolute paths as they are, others in the current directory and then
    /// the library search path.
    static func locate(_ name: String, script: String, searchDirectories: [String]) -> String? {
        var n = name
        if n.hasPrefix("=") { n = String(n.dropFirst()) } else if n.hasPrefix("$SYSROOT") { n = String(n.dropFirst(8)) }
        if n.hasPrefix("/") { return FileSystem.isRegularFile(n) ? n : nil }
        if FileSystem.isRegularFile(n) { return n }
        for d in searchDirectories where FileSystem.isRegularFile(d + "/" + n) { return d + "/" + n }
        return nil
    }

    /// An `ar` archive with no members at all: `!<arch>\n` and nothing else.
    static func isEmptyArchive(_ path: String) -> Bool {
        guard let f = try? MappedFile(path: path), let kind = try? FileKind.sniff(f.region) else { return false }
        return kind == .arArchive && f.size == 8
    }
}
