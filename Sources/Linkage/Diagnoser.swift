import ImageLoader
import MappedFile
import ObjectModel

/// What `diagnose` produced: the diagnosis (nil when no input could be used) and the inputs
/// that could not be read.
public struct DiagnoseResult: Sendable {
    public var diagnosis: Diagnosis?
    public var errors: [InputError]
    public var notes: [String]
}

/// Runs the diagnosis: builds the link set, resolves its references against the providers in
/// order (inputs, linked libraries, given libraries, Python, the library directories), and
/// applies the platform's rules.
public enum Diagnoser {
    public static func run(_ options: DiagnoseOptions) -> DiagnoseResult {
        run(options, loaded: options.inputs.map { ImageLoader.load(path: $0) })
    }

    /// The same diagnosis over inputs already loaded (wheel members read into memory have no
    /// path on disk); `options.inputs` is not read.
    public static func run(_ options: DiagnoseOptions, loaded: [LoadResult]) -> DiagnoseResult {
        if let each = SeparateModules.split(loaded) {
            return SeparateModules.run(each, errors: loaded.flatMap(\.errors), notes: loaded.flatMap(\.notes)) { one in
                // The other modules are not inputs of this one (nor libraries given to it).
                var o = options
                o.inputs = one.map(\.path)
                return runOne(o, loaded: one)
            }
        }
        return runOne(options, loaded: loaded)
    }

    /// One link unit: the inputs together (objects and what they pull in, or one module).
    static func runOne(_ options: DiagnoseOptions, loaded: [LoadResult]) -> DiagnoseResult {
        var loaded = loaded
        var notes = loaded.flatMap(\.notes)
        var sysconfig: (config: PythonConfig, crossLibDir: String?)?
        do { sysconfig = try targetSysconfig(options) } catch {
            return DiagnoseResult(diagnosis: nil, errors: loaded.flatMap(\.errors) + [InputError(path: error.path, message: error.what, offset: error.offset)], notes: [])
        }
        if !options.extraReferences.isEmpty {
            loaded.append(ReportedSymbols.image(options.extraReferences, like: loaded.flatMap(\.images).first,
                                                 aix: options.platform == .aix, bits: options.linkBits))
        }
        let all = loaded.flatMap(\.images)
        guard let model = all.first(where: { $0.kind == .object && $0.member == nil }) ?? all.first(where: { $0.format != .exp }) else {
            return DiagnoseResult(diagnosis: nil, errors: loaded.flatMap(\.errors), notes: notes)
        }
        let target = TargetKind(of: model)
        // The driver's implicit inputs join a link of objects for a Linux target.
        var driver: DriverInputs?
        if let call = options.driver, target.family == .elf, options.platform != .aix,
           all.contains(where: { $0.kind == .object && $0.member == nil }) {
            driver = DriverInputs.of(call)
            if driver == nil { notes.append("\(call.program) -### does not run here: the libraries the compiler driver adds (libc, libgcc) are not part of the replay") }
        }
        var search = Resolution.search(options, family: target.family,
                                       otherMachine: options.sysroot == nil ? HostMachine.otherPlatform(of: model, musl: options.targetMusl) : nil,
                                       machine: model.machine)
        search.userDirectories += driver?.directories ?? []
        let asNeeded = driver?.asNeededAtStart ?? false
        let items = options.linkItems.isEmpty
            ? loaded.map { LinkItem(.file($0.path), asNeeded: asNeeded, wholeArchive: options.wholeArchive) }
                + options.libraries.map { LinkItem(.library($0), asNeeded: asNeeded) }
            : options.linkItems
        let inputs = LinkInputs(items: items + options.libraryFiles.map { LinkItem(.file($0)) }, loaded: loaded,
                                driver: driver, target: target, search: search,
                                platform: options.platform ?? (target.family == .xcoff ? .aix : nil))
        let errors = loaded.filter { !inputs.scriptInputs.contains($0.path) }.flatMap(\.errors) + inputs.errors
        notes += inputs.notes
        let set = LinkSet(inputs.steps, predefined: inputs.startFileDefinitions, linker: driver?.linker ?? options.linker)
        guard let first = set.targets.first else {
            return DiagnoseResult(diagnosis: nil, errors: errors, notes: notes)
        }
        var state = Resolution(options: options, set: set, first: first, steps: inputs.steps)
        state.diagnosis.findings += inputs.findings + (inputs.targetLibraryFinding.map { [$0] } ?? [])
        state.targetSysconfig = sysconfig?.config
        state.crossLibDir = sysconfig?.crossLibDir
        // A module for another machine: only what it bundles and what is given is looked at.
        let foreign = options.sysroot == nil ? TargetPlatform.foreignReason(first, musl: options.targetMusl) : nil
        state.resolveLinked()
        state.resolveGiven()
        if let foreign { state.leaveForeignUnresolved(foreign) }
        state.collectUnresolved()
        state.checkOrder()
        state.noteOtherTargetMembers()
        state.findPythonProviders()
        state.checkInterpreterExports()
        state.checkExtensionSuffix()
        state.checkStableABI()
        state.applyWheelPolicy()
        if foreign == nil { state.searchLibraryDirectories() }
        state.applyPolicy()
        state.checkLinkOptions()
        return DiagnoseResult(diagnosis: state.finish(), errors: errors, notes: notes + state.notes)
    }

    /// `--python-sysconfig FILE`, else the `_sysconfigdata_*.py` in `PYO3_CROSS_LIB_DIR` (as
    /// PyO3 reads it), with the directory libpython is looked for in first.
    static func targetSysconfig(_ options: DiagnoseOptions) throws(PythonSysconfig.FileError) -> (config: PythonConfig, crossLibDir: String?)? {
        if let f = options.pythonSysconfig { return (try PythonConfig.fromSysconfigFile(f), nil) }
        if let dir = options.environment["PYO3_CROSS_LIB_DIR"], !dir.isEmpty, let f = PythonSysconfig.fileIn(dir) {
            return (try PythonConfig.fromSysconfigFile(f), dir)
        }
        return nil
    }
}

/// The working state of one diagnosis; each step narrows what is still unresolved.
struct Resolution {
    let options: DiagnoseOptions
    let linkSet: LinkSet
    /// The replayed positions of the link (libraries with what they resolved).
    let steps: [LinkStep]
    let target: TargetKind
    /// The first diagnosed image: its format, width and machine choose the providers.
    let firstTarget: ObjectImage
    let platform: Platform
    let search: LibrarySearch
    var diagnosis: Diagnosis
    /// References not resolved yet, by key.
    var open: [NameView: Reference] = [:]
    var openOrder: [NameView] = []
    /// Providers found for unresolved references (display names), by key.
    var providers: [NameView: [String]] = [:]
    var libraries: [Library] = []
    var pythonLibrary: Library?
    var pythonConfig: PythonConfig?
    /// `-L<lib_dir> -lpythonX.Y …` from a PyO3 config whose libpython is not on this machine.
    var pythonArgumentsFromConfig: [String] = []
    /// Link arguments that are not libraries (`-bbigtoc`), appended to the missing ones.
    var extraArguments: [String] = []
    /// Import-list libraries whose module is `.`: their names resolve inside `python` only.
    var mainProgramImports: [String] = []
    /// Said once per run rather than per module (`symscan: …` on stderr).
    var notes: [String] = []
    /// Set when the target is for another machine than this one (`HostMachine`): only the
    /// libraries given and the ones bundled with it count, and what it needs from elsewhere
    /// is not checked.
    let otherMachine: String?
    /// References that cannot bind because the version they need is not defined by their
    /// library: `version-not-found` reports them, not `unresolved-symbols`.
    var versionFailures = Set<NameView>()
    /// Python C API references the interpreter that loads the module does not export.
    var notExported = Set<NameView>()
    /// References of a foreign module left unchecked (no --sysroot): neither resolved nor not.
    var uncheckedCount = 0
    /// The target interpreter's sysconfig data (a cross build), and PYO3_CROSS_LIB_DIR.
    var targetSysconfig: PythonConfig?
    var crossLibDir: String?

    init(options: DiagnoseOptions, set: LinkSet, first: ObjectImage, steps: [LinkStep] = []) {
        self.options = options
        self.linkSet = set
        self.steps = steps
        self.firstTarget = first
        target = TargetKind(of: first)
        let family = target.family
        otherMachine = options.sysroot == nil ? HostMachine.otherPlatform(of: first, musl: options.targetMusl) : nil
        platform = options.platform ?? (family == .xcoff ? .aix : linkSet.targets.contains { $0.isAndroid } ? .android : .linux)
        search = Self.search(options, family: family, otherMachine: otherMachine, machine: first.machine)
        diagnosis = Diagnosis(platform: platform, embedded: options.embedded)
        diagnosis.inputs = linkSet.targets.map {
            InputSummary(path: $0.path, member: $0.member, format: $0.format.rawValue, kind: $0.kind.rawValue)
        }
        // The linker's error lines stand in for gone inputs; they are no input of their own
        // unless nothing else is left.
        let real = diagnosis.inputs.filter { $0.path != ReportedSymbols.path }
        if !real.isEmpty { diagnosis.inputs = real }
        // `.f` and `f` of one XCOFF function are reported apart, so they count apart.
        diagnosis.referenceCount = linkSet.allReferences.count + linkSet.descriptorForms.count
        for r in linkSet.undefinedReferences {
            open[r.key] = r
            openOrder.append(r.key)
        }
        for p in linkSet.providers where p.format == .exp && p.dynamic?.imports.first?.module?.base == "." {
            mainProgramImports.append(p.displayName)
        }
        checkWidths()
    }

    /// The `-L` and default directories of the options, as the target's linker searches them.
    /// The `-l` search of a link: the user's directories, and the default ones only for a
    /// target of this machine (another machine's libraries are not here).
    /// Under `--sysroot`, the default directories are the target root's.
    static func search(_ options: DiagnoseOptions, family: LibrarySearch.Family, otherMachine: String?, machine: String?) -> LibrarySearch {
        let defaults = options.defaultDirectories ?? options.sysroot.map { TargetPlatform.sysrootDirectories($0, machine: machine) }
        var search = LibrarySearch(family: family, userDirectories: options.libraryDirectories,
                                   defaultDirectories: otherMachine == nil ? defaults : [])
        search.sysroot = options.sysroot
        search.runtimeLinking = options.runtimeLinking
        return search
    }

    mutating func resolve(_ key: NameView) {
        open[key] = nil
    }

    /// Resolves what `lib` binds of the open references: versions count (see `Library.binds`),
    /// at load time for linked output, at link time (GNU ld's rule) for objects.
    mutating func resolveOpen(from lib: Library) {
        let loader = linkSet.targets.allSatisfy { $0.kind != .object }
        for key in openOrder {
            guard let r = open[key], lib.binds(key, version: r.version, loader: loader) else { continue }
            lib.provides += 1
            resolve(key)
        }
    }

    // MARK: linked libraries

    /// Libraries the images already link: ELF DT_NEEDED (and what those need, as the loader
    /// loads them too), XCOFF loader import modules.
    mutating func resolveLinked() {
        if target.family == .xcoff { resolveLoaderImports() } else { resolveNeeded() }
    }

    private mutating func resolveLoaderImports() {
        var byModule: [ImportModule: [NameView]] = [:]
        for key in openOrder {
            guard let r = open[key], r.isRuntimeImport, let m = r.module else { continue }
            byModule[m, default: []].append(key)
        }
        for (module, keys) in byModule.sorted(by: { $0.key.displayName < $1.key.displayName }) {
            if module.base == "." {
                // Resolved by the main program at load time: fine inside `python`, not when
                // Python is embedded in another executable.
                mainProgramImports.append(module.displayName)
                keys.forEach { resolve($0) }
                continue
            }
            if module.base == ".." {
                keys.forEach { resolve($0) }
                continue
            }
            let libraryPath = linkSet.targets.first?.dynamic?.libraryPath
            guard let path = search.findModule(module, libraryPath: libraryPath, environment: options.environment),
                  let lib = Library.load(path: path, role: .linked, target: target, linkArguments: [])
            else {
                // The AIX linker resolved these against the module when it linked; it is not on
                // this machine to check again.
                keys.forEach { resolve($0) }
                diagnosis.findings.append(Finding(
                    id: .linkedModuleNotFound, severity: .note,
                    message: "\(module.displayName) is not on this machine; its \(keys.count) imports were resolved by the linker and are not checked again"))
                continue
            }
            libraries.append(lib)
            var missing: [String] = []
            for k in keys {
                if lib.exports.contains(k) { lib.provides += 1; resolve(k) } else { missing.append(k.string) }
            }
            if !missing.isEmpty {
                diagnosis.findings.append(Finding(
                    id: .moduleLacksSymbol, severity: .error,
                    message: "\(module.displayName) does not export \(Self.list(missing)): loading fails with rtld: 0712-001",
                    symbols: missing))
            }
        }
    }

    private mutating func resolveNeeded() {
        var queue: [(needed: String, from: ObjectImage)] = []
        for t in linkSet.targets {
            for m in t.dynamic?.importModules ?? [] { queue.append((m.base, t)) }
        }
        var seen = Set<String>()
        var found: [String: Library] = [:]
        var i = 0
        while i < queue.count {
            let (needed, from) = queue[i]
            i += 1
            guard seen.insert(needed).inserted else { continue }
            let d = from.dynamic
            // Inside a wheel, first where the installed wheel's $ORIGIN entries will point.
            let bundleDirs = options.bundle?.searchDirectories(rpath: d?.rpath ?? [], runpath: d?.runpath ?? [], imagePath: from.path) ?? []
            var lib: Library?
            if let bundle = options.bundle, let member = bundle.findNeeded(needed, in: bundleDirs) {
                guard let loaded = bundle.load(member) else { continue }
                lib = Library.load(loaded, path: member, role: .linked, target: target)
            } else {
                guard let path = search.findNeeded(needed, rpath: d?.rpath ?? [], runpath: d?.runpath ?? [],
                                                   imagePath: from.path, environment: options.environment) else {
                    if otherMachine != nil {
                        // The other machine's library: `leaveForeignUnresolved` says so, once.
                    } else if linkSet.targets.contains(where: { $0.path == from.path }) {
                        let inWheel = bundleDirs.isEmpty ? "" : "not in the wheel (\(bundleDirs.map { ($0.isEmpty ? "." : $0) + "/" }.joined(separator: ", "))) and "
                        diagnosis.findings.append(Finding(
                            id: .neededLibraryNotFound, severity: .error,
                            message: "\(needed) (DT_NEEDED of \(FileSystem.baseName(from.path))) is \(inWheel)not found by the loader's search"))
                    }
                    continue
                }
                lib = Library.load(path: path, role: .linked, target: target, linkArguments: [])
            }
            guard let lib else { continue }
            libraries.append(lib)
            found[needed] = lib
            for image in lib.images {
                for m in image.dynamic?.importModules ?? [] { queue.append((m.base, image)) }
            }
            resolveOpen(from: lib)
        }
        checkVersionNeeds(found: found, loadedImages: found.values.flatMap(\.images))
    }

    // MARK: given libraries

    /// `-l`, `--lib` and what the driver adds: the replay already resolved with them in order;
    /// here each is recorded with how many references it resolved.
    mutating func resolveGiven() {
        for (i, step) in steps.enumerated() {
            guard let lib = step.library else { continue }
            lib.provides += linkSet.resolvedCount(ofStep: i)
            lib.implicit = lib.implicit || step.item.implicit
            // The driver names libgcc and libgcc_s twice; one report each.
            guard !libraries.contains(where: { $0 === lib || ($0.path == lib.path && $0.role == .given) }) else { continue }
            libraries.append(lib)
            if lib.importsFromMainProgram { mainProgramImports.append(lib.displayName) }
        }
    }

    /// Whatever is left is unresolved by the link as given.
    mutating func collectUnresolved() {
        let unresolved = openOrder.filter { open[$0] != nil }
        diagnosis.resolvedCount = diagnosis.referenceCount - unresolved.count
            - unresolved.filter { linkSet.descriptorForms[$0] != nil }.count - uncheckedCount
    }

    // MARK: widths

    /// An archive member that defines something still unresolved but was built for another
    /// target (the other XCOFF width, another ELF class or machine): the linker skipped it,
    /// which is easy to miss.
    mutating func noteOtherTargetMembers() {
        guard let objectFormat = linkSet.targets.first(where: { $0.member == nil })?.format else { return }
        for m in linkSet.otherTargetMembers {
            let exports = Set(m.exportedKeys())
            let defines = openOrder.filter { open[$0] != nil && exports.contains($0) }
            guard !defines.isEmpty else { continue }
            let names = defines.compactMap { open[$0]?.display.string }
            let what = m.format == objectFormat ? "for \(m.machine ?? "another machine")" : "\(m.format.rawValue.uppercased())"
            let hint = m.isXCOFF && objectFormat != m.format ? " (rebuild it with OBJECT_MODE=\(objectFormat == .xcoff64 ? 64 : 32))" : ""
            diagnosis.findings.append(Finding(
                id: .archiveMemberSkipped, severity: .note,
                message: "\(m.displayName) defines \(Self.list(names)) but is \(what); the link is \(objectFormat.rawValue.uppercased()), so the linker skips it\(hint)",
                symbols: names))
        }
    }

    private mutating func checkWidths() {
        let xcoff = linkSet.targets.filter(\.isXCOFF)
        let bits64 = xcoff.filter { $0.format == .xcoff64 }
        let bits32 = xcoff.filter { $0.format == .xcoff32 }
        guard !bits64.isEmpty && !bits32.isEmpty else { return }
        let (odd, mode) = bits64.count >= bits32.count ? (bits32, 64) : (bits64, 32)
        diagnosis.findings.append(Finding(
            id: .mixedXCOFFWidth, severity: .error,
            message: "32- and 64-bit XCOFF inputs are mixed; \(odd.map(\.displayName).joined(separator: ", ")) \(odd.count == 1 ? "is" : "are") \(mode == 64 ? 32 : 64)-bit: rebuild \(odd.count == 1 ? "it" : "them") with OBJECT_MODE=\(mode) (ar/nm -X\(mode), cc -maix\(mode))"))
    }

    static func list(_ names: [String], limit: Int = 5) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) and \(names.count - limit) more" : shown
    }
}
