import MappedFile
import Synchronization

/// What a compiler driver adds to the link it runs, as the driver itself says: `cc -### …`
/// prints the linker command it would run, with the start files (`crti.o`, `crtbeginS.o`)
/// and options (Debian's and Ubuntu's gcc pass `--as-needed`) before the user's inputs, and
/// the default libraries (`-lgcc --push-state --as-needed -lgcc_s --pop-state -lc …`), the
/// closing start files and the compiler's own `-L` directories. rustc's `"cc"` is such a call.
public struct DriverInputs: Sendable {
    /// The libraries after the command line's own inputs, in the driver's order.
    public var items: [LinkItem] = []
    /// Start files (`crti.o`, `crtbeginS.o`, `crtendS.o`, …): their definitions are part of the link.
    public var startFiles: [String] = []
    /// The compiler's library directories, searched after the user's `-L`.
    public var directories: [String] = []
    /// What the driver's own options leave in force for the user's inputs (`--as-needed`).
    public var asNeededAtStart = false
    /// The linker the driver runs (GNU ld through collect2, gold, lld).
    public var linker: LinkerFlavour = .bfd

    /// Whether `program` is a compiler driver (`cc`, `gcc`, `clang`, `c++`, `g++`, `clang++`,
    /// versioned or target-prefixed) rather than a linker called directly.
    public static func isDriver(_ program: String) -> Bool {
        let base = PathName.baseName(program)
        if base.hasPrefix("ld") || base.hasSuffix("-ld") || base == "collect2" || base.contains("lld") { return false }
        let name = base.split(separator: "-").last.map(String.init) ?? base
        return ["cc", "gcc", "clang", "c++", "g++", "clang++"].contains(name) || base.hasPrefix("gcc-") || base.hasPrefix("clang-")
            || base.hasPrefix("g++-") || base.hasPrefix("clang++-")
    }

    /// The implicit inputs of `call`, asked of its program (or of `cc` when that does not run
    /// here); nil when no driver answers.
    public static func of(_ call: DriverCall) -> DriverInputs? {
        for program in [call.program, "cc"] {
            if let d = probe(program, call) { return d }
        }
        // `-fuse-ld=lld` names a linker this machine may not have (rustc brings its own
        // rust-lld): ask without it, and keep the linker it names.
        guard let fuse = call.flags.first(where: { $0.hasPrefix("-fuse-ld=") }) else { return nil }
        var plain = call
        plain.flags.remove(fuse)
        guard var d = of(plain) else { return nil }
        d.linker = LinkerFlavour(program: String(fuse.dropFirst("-fuse-ld=".count)))
        return d
    }

    /// The probe's input: a path that exists (clang checks), read as a linker input, and that
    /// no driver adds itself.
    private static let marker = "/dev/null"
    private static let cache = Mutex<[[String]: DriverInputs?]>([:])

    private static func probe(_ program: String, _ call: DriverCall) -> DriverInputs? {
        var argv = [program, "-###"] + call.flags.sorted()
        if call.shared { argv.append("-shared") }
        if call.staticLink { argv.append("-static") }
        argv += ["-o", "symscan-probe.out", marker]
        if let hit = cache.withLock({ $0[argv] }) { return hit }
        let answer = ProcessRunner.run(argv, standardError: true).flatMap { out -> DriverInputs? in
            guard out.status == 0 else { return nil }
            // The last command that names the probe is the link.
            guard let line = out.stdout.split(separator: "\n").last(where: { $0.contains(marker) }) else { return nil }
            return parse(CommandLineText.split(String(line)))
        }
        cache.withLock { $0[argv] = answer }
        return answer
    }

    /// Reads the linker command a driver printed: what stands before the probe object and after it.
    static func parse(_ words: [String]) -> DriverInputs? {
        guard let at = words.firstIndex(of: marker), at > 0 else { return nil }
        var d = DriverInputs()
        let before = LinkCommand(["ld"] + words[1..<at])
        let after = LinkCommand(["ld"] + words[(at + 1)...])
        d.asNeededAtStart = before.asNeeded
        d.directories = before.libraryDirectories + after.libraryDirectories
        d.startFiles = (before.inputs + after.inputs).filter { $0.hasSuffix(".o") && $0 != marker }
        d.items = after.items.filter {
            if case .file = $0.what { return false }
            return true
        }.map { var i = $0; i.implicit = true; return i }
        let fuse = words[1..<at].last { $0.hasPrefix("-fuse-ld=") }.map { String($0.dropFirst("-fuse-ld=".count)) }
        d.linker = LinkerFlavour(program: fuse ?? words[0])
        return d
    }
}
