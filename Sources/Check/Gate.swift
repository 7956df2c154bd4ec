import Dispatch
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
        let slots = Slots(count: candidates.count)
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: candidates.count) { i in
            slots.set(i, diagnose(candidates[i], options))
            let n = done.add(1, ordering: .relaxed).newValue
            progress?(n, candidates.count, candidates[i].path)
        }
        var report = GateReport(command: "check", failOn: options.failOn, modules: [])
        report.notes = finder.notes
        report.errors = finder.errors
        for outcome in slots.take() {
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
        // A module inside a `cpXY-abi3` wheel promises the Stable ABI from X.Y.
        if o.abi3Minimum == nil, let bang = c.path.firstIndex(of: "!"),
           let wheel = WheelName(fileName: String(c.path[..<bang].split(separator: "/").last ?? "")) {
            o.abi3Minimum = PythonVersion(abi3WheelPython: wheel.python, abi: wheel.abi)
        }
        let result = Diagnoser.run(o, loaded: [loaded])
        var m = ModuleResult(path: c.path, key: c.key, diagnosis: result.diagnosis)
        m.errors = result.errors.map { e in
            ReportError(path: e.path, message: e.offset.map { "\(e.message) (at byte offset \($0))" } ?? e.message)
        }
        m.notes = result.notes
        if result.diagnosis == nil && m.errors.isEmpty {
            m.errors = [ReportError(path: c.path, message: "nothing to diagnose: no object, archive member or shared object")]
        }
        options.filter.apply(to: &m)
        return .module(m)
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

    /// One slot per candidate, written once each by whichever thread diagnosed it.
    final class Slots: @unchecked Sendable {
        private let items: UnsafeMutablePointer<Outcome>
        private let count: Int
        private var filled: [Bool]
        private let lock = Mutex(())

        init(count: Int) {
            self.count = count
            items = .allocate(capacity: max(count, 1))
            filled = Array(repeating: false, count: count)
        }

        func set(_ i: Int, _ o: Outcome) {
            lock.withLock { _ in
                (items + i).initialize(to: o)
                filled[i] = true
            }
        }

        func take() -> [Outcome] {
            lock.withLock { _ in
                var out: [Outcome] = []
                for i in 0..<count where filled[i] {
                    out.append((items + i).move())
                    filled[i] = false
                }
                return out
            }
        }

        deinit {
            for i in 0..<count where filled[i] { (items + i).deinitialize(count: 1) }
            items.deallocate()
        }
    }
}
