import ImageLoader
import Linkage
import MappedFile
import ObjectModel
import Reports
import Synchronization

/// How the gate diagnoses each module and what it accepts.
public struct GateOptions: Sendable {
    /// The providers and platform rules for every module; `inputs` and `moduleName` are set
    /// per module.
    public var diagnose: DiagnoseOptions
    public var failOn: Severity = .error
    public var filter: FindingFilter
    /// `--require-all`: a wheel symscan cannot read (macOS, Windows) is an error, not a note.
    public var requireAll = false

    public init(diagnose: DiagnoseOptions, failOn: Severity, filter: FindingFilter) {
        self.diagnose = diagnose
        self.failOn = failOn
        self.filter = filter
    }
}

/// Runs `diagnose` on every candidate module, on all cores, and collects the results in the
/// candidates' order (so the output does not depend on scheduling).
public enum Gate {
    /// `progress` is called after each module with (done, total, path), from worker threads.
    public static func run(_ finder: ModuleFinder, options: GateOptions,
                           progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> GateReport {
        let candidates = finder.candidates
        let done = Atomic<Int>(0)
        let outcomes = Parallel.map(candidates.count) { i in
            let start = ContinuousClock.now
            var outcome = diagnose(candidates[i], options)
            if case .module(var m) = outcome {
                let d = ContinuousClock.now - start
                m.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                outcome = .module(m)
            }
            let n = done.add(1, ordering: .relaxed).newValue
            progress?(n, candidates.count, candidates[i].path)
            return outcome
        }
        var report = GateReport(command: "check", failOn: options.failOn, modules: [])
        report.notes = finder.notes
        report.errors = finder.errors
        report.bundled = finder.bundled
        if options.requireAll { report.errors += finder.notChecked } else { report.notes += finder.notChecked.map { "\($0.path): \($0.message)" } }
        for outcome in outcomes {
            switch outcome {
            case .module(let m): report.modules.append(m)
            case .notAModule(let note): if let note { report.notes.append(note) }
            }
        }
        return report
    }

    enum Outcome: Sendable {
        case module(ModuleResult)
        /// Dropped: not an extension module after all (with a note when its name suggested one).
        case notAModule(String?)
    }

    static func diagnose(_ c: ModuleCandidate, _ options: GateOptions) -> Outcome {
        let loaded: LoadResult
        switch c.source {
        case .file(let path):
            loaded = ImageLoader.load(path: path)
        case .wheelMember(let zip, let entry):
            do {
                loaded = ImageLoader.load(region: try zip.contents(entry), path: c.path)
            } catch {
                var m = ModuleResult(path: c.path, key: c.key, diagnosis: nil)
                m.errors = [ReportError(path: c.path, message: "\(error)")]
                return .module(m)
            }
        }
        if c.requiresPyInit && loaded.errors.isEmpty {
            if !isExtensionModule(loaded) {
                let named = c.path.hasSuffix(".so") || c.path.hasSuffix(".a")
                return .notAModule(named ? "\(c.path): skipped: a library, not an extension module (it does not export PyInit_<its name>)" : nil)
            }
        } else if c.requiresPyInit {
            return .notAModule(nil)  // unreadable, and nothing but its bytes said it was a module
        }
        var o = options.diagnose
        o.inputs = [c.path]
        o.bundle = c.bundle
        o.targetMusl = c.wheel?.musl
        // A module inside a `cpXY-abi3` wheel promises the Stable ABI from X.Y.
        if o.abi3Minimum == nil, let bang = c.path.firstIndex(of: "!"),
           let wheel = WheelName(fileName: String(c.path[..<bang].split(separator: "/").last ?? "")) {
            o.abi3Minimum = PythonVersion(abi3WheelPython: wheel.python, abi: wheel.abi)
        }
        let result = Diagnoser.run(o, loaded: [loaded])
        var m = ModuleResult(path: c.path, key: c.key, diagnosis: result.diagnosis)
        if let wheel = c.wheel, let finding = machineMismatch(wheel, loaded) { m.diagnosis?.findings.insert(finding, at: 0) }
        m.errors = result.errors.map { e in
            ReportError(path: e.path, message: e.located)
        }
        m.notes = result.notes
        if result.diagnosis == nil && m.errors.isEmpty {
            m.errors = [ReportError(path: c.path, message: "nothing to diagnose: no object, archive member or shared object")]
        }
        options.filter.apply(to: &m)
        return .module(m)
    }

    /// A module built for another machine than its wheel's platform tag names: pip installs it
    /// where it cannot load (and the machines it can load on never get it).
    static func machineMismatch(_ wheel: WheelName, _ loaded: LoadResult) -> Finding? {
        let named = wheel.elfMachines
        guard !named.isEmpty, let image = loaded.images.first(where: { !$0.isXCOFF && $0.machine != nil }),
              let machine = image.machine, !named.contains(machine) else { return nil }
        return Finding(id: .wheelPlatformMismatch, severity: .error,
                       message: "built for \(machine), but the wheel's platform tag \(wheel.platform) names \(named.sorted().joined(separator: ", ")): installers would put it where it cannot load")
    }

    /// A shared object that exports `PyInit_<its own name>`, or exactly one `PyInit_*`. A
    /// library such as libpython exports many (its built-in modules) and is not a module.
    static func isExtensionModule(_ loaded: LoadResult) -> Bool {
        loaded.images.contains { image in
            guard image.kind == .shared else { return false }
            let inits = image.exportedKeys().filter { $0.hasPrefix("PyInit_") }
            let file = image.member ?? String(image.path.split(separator: "/").last ?? "")
            let stem = file.prefix { $0 != "." }
            return inits.count == 1 || inits.contains { $0.string == "PyInit_\(stem)" }
        }
    }
}
