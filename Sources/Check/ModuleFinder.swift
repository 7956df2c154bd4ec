import Linkage
import MappedFile
#if canImport(Glibc)
import Glibc
#endif
import Reports

/// A file (or wheel member) that may be an extension module, and how it was found.
public struct ModuleCandidate: Sendable {
    public enum Source: Sendable {
        case file(String)
        case wheelMember(ZipArchive, ZipEntry)
    }

    /// As reported: `build/lib/_mod.so`, `dist/x.whl!pkg/_mod.so`.
    public var path: String
    /// The baseline key: relative to the root it was found under when `check` was given one
    /// root, the path as reported when it was given several (see `ModuleFinder.init(roots:)`);
    /// a wheel is named without its version either way (`WheelName.keyName`).
    public var key: String
    public var source: Source
    /// Only a module if it turns out to export `PyInit_*` from a shared object (found by its
    /// bytes, or named like a library: `lib*.so`, AIX `.a`); otherwise it is dropped.
    public var requiresPyInit: Bool
    /// The other members of its wheel, where its DT_NEEDED is looked up first.
    public var bundle: BundledFiles?
    /// The name of its wheel, whose platform tag names the machine it must be built for.
    public var wheel: WheelName?
}

/// Finds the extension modules under the paths given to `check`.
///
/// Directories are walked recursively, in name order; symbolic links to directories are not
/// followed (no loops). A file is a candidate when it is named like a module (`.so`, which
/// covers `.abi3.so` and `.cpython-*.so`), is an AIX archive (`.a`) or any other ELF/XCOFF file
/// — those two only if they hold a shared object exporting `PyInit_<its name>` (or exactly one
/// `PyInit_*`), as do `lib*.so` files (libraries bundled next to modules; libpython exports the
/// `PyInit_*` of its built-in modules and is not one). Wheels (`.whl`) are read as zip archives, their
/// members chosen by name. `.pyd` files are Windows modules: skipped with a note. A file named
/// on the command line is always diagnosed.
public struct ModuleFinder {
    public var candidates: [ModuleCandidate] = []
    public var notes: [String] = []
    public var errors: [ReportError] = []
    /// Libraries bundled by a repair tool (`numpy.libs/…`, `.dylibs/…`), as reported: providers
    /// for their wheel's (or tree's) modules, not modules.
    public var bundled: [String] = []
    /// Wheels for platforms whose modules symscan cannot read (macOS, Windows), with why: not
    /// checked; a note, or an error with `check --require-all`.
    public var notChecked: [ReportError] = []

    /// Whether a key starts with the root it was found under, as given (see `init(roots:)`).
    public let keysIncludeRoot: Bool
    /// What the keys of the root being added start with: empty unless `keysIncludeRoot`.
    private var keyPrefix = ""
    private var walked: ((Int, Int, String) -> Void)?
    private var filesSeen = 0

    public init(keysIncludeRoot: Bool = false) {
        self.keysIncludeRoot = keysIncludeRoot
    }

    /// The modules under `roots`, keyed for baselines.
    ///
    /// With one root a key is relative to it (`pkg/_m.so`; a file's own name when the root is
    /// the file), so a baseline does not depend on where the tree sits. With several, relative
    /// keys could be the same for two modules (`a1/pkg/_m.so` and `a2/pkg/_m.so` both
    /// `pkg/_m.so`), and one module's recorded findings would accept the other's: a key is
    /// then the path as reported, which starts with the root as given (`a1/pkg/_m.so`).
    ///
    /// Either way a wheel is named without its version and build tag
    /// (`mypkg-cp311-cp311-manylinux_2_17_x86_64.whl!mypkg/_x.so`), so that the next release
    /// of the same wheel has the same keys.
    /// `walked` is called as the walk goes with (files seen, candidates so far, the file), so
    /// that a big tree shows progress at once.
    public init(roots: [String], walked: ((Int, Int, String) -> Void)? = nil) {
        self.init(keysIncludeRoot: roots.count > 1)
        self.walked = walked
        for root in roots { add(root: root) }
        // `./build/` and `build` give the same keys (see `Baseline.normalisedKey`).
        for i in candidates.indices { candidates[i].key = Baseline.normalisedKey(candidates[i].key) }
    }

    public mutating func add(root: String) {
        var st = stat()
        guard stat(root, &st) == 0 else {
            errors.append(ReportError(path: root, message: errnoText().lowercasedFirst()))
            return
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            // walk(dir:) joins names the same way, so a key is the reported path.
            keyPrefix = keysIncludeRoot ? (root.hasSuffix("/") ? root : root + "/") : ""
            let before = candidates.count, notCheckedBefore = notChecked.count
            walk(dir: root, relative: "")
            if candidates.count == before && notChecked.count == notCheckedBefore { notes.append("\(root): no extension modules found under it") }
        } else {
            let name = Self.baseName(root)
            keyPrefix = keysIncludeRoot ? String(decoding: root.utf8.dropLast(name.utf8.count), as: UTF8.self) : ""
            if name.hasSuffix(".pyd") {
                notes.append("\(root): skipped: .pyd is a Windows extension module (PE/COFF)")
            } else if name.hasSuffix(".whl") {
                addWheel(root, key: keyPrefix + WheelName.keyName(name))
            } else {
                candidates.append(ModuleCandidate(path: root, key: keyPrefix + name, source: .file(root), requiresPyInit: false))
            }
        }
    }

    /// Keys that more than one candidate has, each with the candidates' paths, in the order
    /// found: the same root given twice (or a root and a file under it), two releases of one
    /// wheel, or a zip holding a member name twice. A baseline cannot tell such modules apart.
    public var sharedKeys: [(key: String, paths: [String])] {
        var paths: [String: [String]] = [:]
        var order: [String] = []
        for c in candidates {
            if paths[c.key] == nil { order.append(c.key) }
            paths[c.key, default: []].append(c.path)
        }
        return order.compactMap { k in paths[k]!.count > 1 ? (k, paths[k]!) : nil }
    }

    private mutating func walk(dir: String, relative: String) {
        guard let d = opendir(dir) else {
            errors.append(ReportError(path: dir, message: errnoText().lowercasedFirst()))
            return
        }
        var names: [String] = []
        while let e = readdir(d) {
            let name = DirectoryEntry.name(e)
            if !DirectoryEntry.isDotOrDotDot(name) { names.append(String(cString: name)) }
        }
        closedir(d)
        for name in names.sorted() {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            var mode = st.st_mode & S_IFMT
            if mode == S_IFLNK {
                var target = stat()
                guard stat(path, &target) == 0 else { continue }  // dangling
                mode = target.st_mode & S_IFMT
                if mode == S_IFDIR { continue }  // not followed
            }
            if mode == S_IFDIR {
                if name == ".git" { continue }
                walk(dir: path, relative: rel)
                continue
            }
            guard mode == S_IFREG else { continue }
            filesSeen += 1
            walked?(filesSeen, candidates.count, path)
            consider(path: path, keyDirectory: keyPrefix + (relative.isEmpty ? "" : relative + "/"), name: name)
        }
    }

    /// `keyDirectory`: what the key of a file in this directory starts with.
    private mutating func consider(path: String, keyDirectory: String, name: String) {
        let key = keyDirectory + name
        if WheelBundle.isBundledLibraryPath(key) {
            bundled.append(path)
        } else if name.hasSuffix(".pyd") {
            notes.append("\(path): skipped: .pyd is a Windows extension module (PE/COFF)")
        } else if name.hasSuffix(".whl") {
            addWheel(path, key: keyDirectory + WheelName.keyName(name))
        } else if name.hasSuffix(".so") {
            candidates.append(ModuleCandidate(path: path, key: key, source: .file(path), requiresPyInit: name.hasPrefix("lib")))
        } else if Self.looksLikeBinary(path) {
            candidates.append(ModuleCandidate(path: path, key: key, source: .file(path), requiresPyInit: true))
        }
    }

    private mutating func addWheel(_ path: String, key: String) {
        let wheelName = WheelName(fileName: Self.baseName(path))
        if let why = wheelName?.unreadablePlatform {
            notChecked.append(ReportError(path: path, message: "not checked: \(why); symscan reads ELF and XCOFF"))
            return
        }
        let zip: ZipArchive
        do {
            zip = try ZipArchive(path: path)
        } catch {
            errors.append(ReportError(path: path, message: "\(error)"))
            return
        }
        var found = 0
        let bundle = WheelBundle.files(zip, path: path)
        for e in zip.entries.sorted(by: { $0.name < $1.name }) where !e.isDirectory {
            let name = Self.baseName(e.name)
            let display = "\(path)!\(e.name)"
            if WheelBundle.isBundledLibraryPath(e.name) {
                bundled.append(display)
            } else if name.hasSuffix(".pyd") {
                notes.append("\(display): skipped: .pyd is a Windows extension module (PE/COFF)")
            } else if name.hasSuffix(".so") || name.hasSuffix(".a") {
                candidates.append(ModuleCandidate(path: display, key: "\(key)!\(e.name)", source: .wheelMember(zip, e),
                                                  requiresPyInit: name.hasPrefix("lib") || name.hasSuffix(".a"), bundle: bundle,
                                                  wheel: wheelName))
                found += 1
            }
        }
        if found == 0 { notes.append("\(path): no extension modules in the wheel") }
    }

    /// ELF, XCOFF or an AIX archive, by the first bytes.
    static func looksLikeBinary(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8) }
        guard n >= 2 else { return false }
        if n >= 4 && head[0] == 0x7F && head[1] == UInt8(ascii: "E") && head[2] == UInt8(ascii: "L") && head[3] == UInt8(ascii: "F") { return true }
        if head[0] == 0x01 && (head[1] == 0xDF || head[1] == 0xF7) { return true }
        if n == 8 && (head == Array("<bigaf>\n".utf8) || head == Array("<aiaff>\n".utf8)) { return true }
        return false
    }

    static func baseName(_ path: String) -> String { PathName.baseName(path) }
}

extension String {
    func lowercasedFirst() -> String {
        guard let f = first else { return self }
        return f.lowercased() + dropFirst()
    }
}
