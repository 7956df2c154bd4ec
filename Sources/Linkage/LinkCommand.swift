/// A linker command line, understood: its inputs, library search, and the options that change
/// how symbols are resolved. Compiler drivers pass `-Wl,a,b` and `-Xlinker x` to the linker;
/// both are unpacked here and read with the linker's own option syntax.
public struct LinkCommand: Sendable {
    public var program = ""
    public var output: String?
    /// Object files, archives, shared objects and import files, in command-line order.
    public var inputs: [String] = []
    /// Inputs rustc left out of its note (`"<4 object files omitted>"`): unknown, but there.
    public var omittedObjects = 0
    public var libraryDirectories: [String] = []
    /// `-l` names in order (`python3.9`, `:libfoo.so.1`).
    public var libraries: [String] = []
    /// AIX `-bI:` import files.
    public var importFiles: [String] = []
    /// AIX `-bE:` export files.
    public var exportFiles: [String] = []
    public var shared = false
    public var staticLink = false
    /// `-Bstatic` (or `-static`) in force at the current position.
    private var staticOnly = false
    /// ELF `-z defs` / `--no-undefined`: undefined symbols are errors even in a shared object.
    public var noUndefined = false
    public var asNeeded = false
    public var wholeArchive = false
    /// Inputs, `-l` libraries and groups in command-line order, each with the position
    /// options in force where it stands (what the ordered replay reads).
    public var items: [LinkItem] = []
    /// Driver flags that change its implicit inputs (`-nostdlib`, `-nodefaultlibs`, `-nolibc`,
    /// `-nostartfiles`, `-nostdlib++`, `-static-libgcc`, `-pthread`).
    public var driverFlags: Set<String> = []
    /// `--push-state` saves these; `--pop-state` restores them.
    private var stateStack: [(Bool, Bool, Bool)] = []
    /// AIX options.
    public var runtimeLinking = false  // -brtl
    public var errorsOK = false  // -berok
    public var bigTOC = false  // -bbigtoc
    public var exportAll = false  // -bexpall
    public var noEntry = false  // -bnoentry
    public var libpath: String?  // -blibpath:
    /// `64` from -b64/-maix64/-m64, `32` from -b32/-maix32/-m32.
    public var bits: Int?
    /// True when the command itself says AIX (-b options, -maix64, -G with an AIX driver).
    public var saysAIX = false
    /// ELF-only options seen (for the AIX check), as written.
    public var elfOnlyOptions: [String] = []
    /// Options we do not know, listed for the user, never fatal.
    public var unknownOptions: [String] = []

    public init() {}

    /// The program is a linker run directly (`ld`, `powerpc-ibm-aix7.2-ld`, `collect2`), not a
    /// compiler driver: it takes no driver flags and searches only its own directories.
    public var programIsLinker: Bool { Self.isLinker(FileSystem.baseName(program)) }

    static func isLinker(_ base: String) -> Bool {
        base.hasPrefix("ld") || base.hasSuffix("-ld") || base == "collect2" || base == "mold" || base.hasSuffix("lld")
    }

    /// Parses `arguments` (`arguments[0]` is the program). `asNeededAtStart`: the driver's own
    /// `--as-needed` before the user's words (Debian's and Ubuntu's gcc pass it).
    public init(_ arguments: [String], asNeededAtStart: Bool = false) {
        guard let first = arguments.first else { return }
        program = first
        asNeeded = asNeededAtStart
        let base = FileSystem.baseName(first)
        // Cross tools carry their target: `powerpc-ibm-aix7.2-ld`, `powerpc64-ibm-aix-gcc`.
        if base.contains("-aix") { saysAIX = true }
        let driverIsLinker = Self.isLinker(base)
        var i = 1
        func next() -> String? {
            i += 1
            return i < arguments.count ? arguments[i] : nil
        }
        while i < arguments.count {
            let a = arguments[i]
            if driverIsLinker {
                linkerOption(a, next: next)
            } else {
                driverOption(a, next: next)
            }
            i += 1
        }
    }

    /// Options of a compiler driver (cc, gcc, clang, xlc); linker options pass through.
    private mutating func driverOption(_ a: String, next: () -> String?) {
        if a.hasPrefix("-Wl,") {
            var parts = a.dropFirst(4).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // `-Wl,-soname,libx.so`: an option and its value arrive as separate parts.
            var k = 0
            func partNext() -> String? {
                k += 1
                return k < parts.count ? parts[k] : nil
            }
            while k < parts.count {
                linkerOption(parts[k], next: partNext)
                k += 1
            }
            parts.removeAll()
            return
        }
        switch a {
        case "-Xlinker":
            if let x = next() { linkerOption(x, next: { nil }) }
        case "-shared": shared = true
        case "-static":
            // The driver passes -static first: it applies to the whole link, not from here on.
            staticLink = true; staticOnly = true
            for i in items.indices { items[i].staticOnly = true }
        case "-G":
            // AIX compilers: a shared object with run-time linking, undefined symbols allowed.
            shared = true; runtimeLinking = true; errorsOK = true; saysAIX = true
        case "-maix64": bits = 64; saysAIX = true
        case "-maix32": bits = 32; saysAIX = true
        case "-m64", "-q64": bits = 64
        case "-m32", "-q32": bits = 32
        case "-o": output = next()
        case "-L": if let d = next() { libraryDirectories.append(d) }
        case "-l": if let l = next() { addLibrary(l) }
        case "-nostdlib", "-nodefaultlibs", "-nolibc", "-nostartfiles", "-nostdlib++", "-static-libgcc", "-pthread":
            driverFlags.insert(a)
        case "-rpath", "-soname", "-h":
            elfOnlyOptions.append(a)
            _ = next()
        case "-x", "-MF", "-MT", "-MQ", "-include", "-isystem", "-idirafter", "-iprefix", "-target", "--target",
             "-arch", "-isysroot", "--sysroot", "-B", "-T", "-e", "-u", "-z":
            let v = next()
            if a == "-z", let v { zOption(v) }
        default:
            if a.hasPrefix("-o") && a.count > 2 {
                output = String(a.dropFirst(2))
            } else if a.hasPrefix("-fuse-ld=") {
                driverFlags.insert(a)
            } else if a.hasPrefix("-b") && a.count > 2 {
                // AIX compiler drivers (xlc, gcc on AIX) pass -b options to ld as they are.
                aixOption(String(a.dropFirst(2)))
            } else {
                common(a, ignoringDriverFlags: true)
            }
        }
    }

    /// Options as the linker itself reads them (also what `-Wl,` carries).
    private mutating func linkerOption(_ a: String, next: () -> String?) {
        switch a {
        case "-shared", "-Bshareable": shared = true
        case "-static", "-Bstatic", "-dn", "-non_shared": staticLink = true; staticOnly = true
        case "-Bdynamic", "-dy", "-call_shared": staticLink = false; staticOnly = false
        case "--push-state": stateStack.append((asNeeded, staticOnly, wholeArchive))
        case "--pop-state":
            if let (a, s, w) = stateStack.popLast() { asNeeded = a; staticOnly = s; wholeArchive = w }
        case "--start-group", "-(": items.append(item(.groupStart))
        case "--end-group", "-)": items.append(item(.groupEnd))
        case "--as-needed":
            asNeeded = true
            elfOnlyOptions.append(a)
        case "--no-as-needed":
            asNeeded = false
            elfOnlyOptions.append(a)
        case "--no-undefined": noUndefined = true; elfOnlyOptions.append(a)
        case "--whole-archive": wholeArchive = true
        case "--no-whole-archive": wholeArchive = false
        case "-z": if let v = next() { zOption(v) }
        case "-o": output = next()
        case "-L": if let d = next() { libraryDirectories.append(d) }
        case "-l": if let l = next() { addLibrary(l) }
        case "-G": shared = true; runtimeLinking = true; errorsOK = true
        case "-soname", "-h", "-rpath", "-R", "--rpath", "--soname", "-rpath-link", "--version-script", "--dynamic-list":
            elfOnlyOptions.append(a)
            _ = next()
        default:
            if a.hasPrefix("-b") && a.count > 2 {
                aixOption(String(a.dropFirst(2)))
            } else if a.hasPrefix("-z") && a.count > 2 {
                zOption(String(a.dropFirst(2)))
            } else if a.hasPrefix("-o") && a.count > 2 {
                output = String(a.dropFirst(2))
            } else if a.hasPrefix("-soname=") || a.hasPrefix("--soname=") || a.hasPrefix("-rpath=") || a.hasPrefix("--rpath=")
                        || a.hasPrefix("--version-script=") || a.hasPrefix("-h") && a.count > 2 {
                elfOnlyOptions.append(a)
            } else {
                common(a, ignoringDriverFlags: false)
            }
        }
    }

    private mutating func addLibrary(_ name: String) {
        libraries.append(name)
        items.append(item(.library(name)))
    }

    private func item(_ what: LinkItem.What) -> LinkItem {
        LinkItem(what, asNeeded: asNeeded, staticOnly: staticOnly, wholeArchive: wholeArchive)
    }

    private mutating func zOption(_ v: String) {
        elfOnlyOptions.append("-z \(v)")
        if v == "defs" { noUndefined = true }
        if v == "undefs" { noUndefined = false }
    }

    /// AIX `-b` options (`-bI:python.exp`, `-brtl`, …); ones we do not model are listed.
    private mutating func aixOption(_ b: String) {
        saysAIX = true
        if b.hasPrefix("I:") || b.hasPrefix("import:") {
            importFiles.append(String(b.drop { $0 != ":" }.dropFirst()))
            return
        }
        if b.hasPrefix("E:") || b.hasPrefix("export:") {
            exportFiles.append(String(b.drop { $0 != ":" }.dropFirst()))
            return
        }
        if b.hasPrefix("libpath:") {
            libpath = String(b.dropFirst("libpath:".count))
            return
        }
        switch b {
        case "rtl", "dynamic", "shared": runtimeLinking = runtimeLinking || b == "rtl"
        case "nortl": runtimeLinking = false
        case "erok": errorsOK = true
        case "ernotok": errorsOK = false; noUndefined = true
        case "bigtoc": bigTOC = true
        case "expall", "expfull": exportAll = true
        case "noentry": noEntry = true
        case "M:SRE", "M:sre": shared = true
        case "64": bits = 64
        case "32": bits = 32
        case "static": staticLink = true
        case "svr4", "noautoexp", "autoexp", "nosymbolic", "symbolic", "ipath", "noipath", "loadmap", "map", "nortllib", "quiet":
            break
        default:
            if b.hasPrefix("loadmap:") || b.hasPrefix("map:") || b.hasPrefix("M:") || b.hasPrefix("maxdata:") || b.hasPrefix("maxstack:") { return }
            unknownOptions.append("-b" + b)
        }
    }

    /// Inputs, `-L`/`-l` glued to their value, and flags that do not change symbol resolution.
    private mutating func common(_ a: String, ignoringDriverFlags: Bool) {
        if let n = RustcPlaceholders.omittedObjects(a) {
            omittedObjects += n
        } else if !a.hasPrefix("-") || a == "-" {
            inputs.append(a)
            items.append(item(.file(a)))
        } else if a.hasPrefix("-L") {
            libraryDirectories.append(String(a.dropFirst(2)))
        } else if a.hasPrefix("-l") {
            addLibrary(String(a.dropFirst(2)))
        } else if a.hasPrefix("-Wl,-rpath") || a.hasPrefix("-Wl,-soname") {
            elfOnlyOptions.append(a)
        } else if ignoringDriverFlags && Self.isHarmlessDriverFlag(a) {
            return
        } else if !ignoringDriverFlags && Self.isHarmlessLinkerFlag(a) {
            return
        } else {
            unknownOptions.append(a)
        }
    }

    /// Compiler-driver flags that do not change which symbols resolve.
    static func isHarmlessDriverFlag(_ a: String) -> Bool {
        let prefixes = ["-O", "-g", "-f", "-D", "-U", "-I", "-W", "-std=", "-m", "-pipe", "-pthread", "-nodefaultlibs",
                        "-nostdlib", "-nostartfiles", "-pie", "-no-pie", "-rdynamic", "-shared-libgcc", "-static-libgcc",
                        "-static-libstdc++", "-fuse-ld=", "--target=", "-target", "-c", "-v", "-###", "-s", "-isystem",
                        "-Xclang", "-q", "-print", "-stdlib=", "-B", "-e", "-u", "-x", "-P", "-E", "-C", "-M"]
        return prefixes.contains { a.hasPrefix($0) }
    }

    /// Linker flags that do not change which symbols resolve.
    static func isHarmlessLinkerFlag(_ a: String) -> Bool {
        let known = ["--eh-frame-hdr", "--gc-sections", "--no-gc-sections", "-O1", "-O2", "-O0", "--build-id", "-s", "-S",
                     "--strip-all", "--strip-debug", "-export-dynamic", "--export-dynamic", "-E", "--hash-style=gnu",
                     "--hash-style=both", "--icf=all", "-pie", "-no-pie", "--pie", "--no-pie", "-m", "-v", "--version",
                     "--start-group", "--end-group", "-(", "-)", "--enable-new-dtags", "--disable-new-dtags", "-nostdlib",
                     "--fatal-warnings", "--warn-common", "--sort-common", "--compress-debug-sections=zlib", "-X", "-x"]
        if known.contains(a) { return true }
        let prefixes = ["--build-id=", "--hash-style=", "-plugin", "--plugin", "-dynamic-linker", "--dynamic-linker",
                        "-m", "-Map", "--Map", "--sysroot=", "-O", "--icf=", "--threads", "--color", "--compress-debug-sections="]
        return prefixes.contains { a.hasPrefix($0) }
    }
}
