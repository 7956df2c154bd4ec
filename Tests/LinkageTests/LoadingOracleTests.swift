import Foundation
import Linkage
import TestSupport
import XCTest

/// Loading, not only linking, with the real loader and interpreter as oracles: a program that
/// embeds Python is linked with the suggested arguments and run (and without the suggested run
/// path, to see the loader fail or pick another copy exactly when symscan says so); a module
/// named for another interpreter is imported by this one.
final class LoadingOracleTests: XCTestCase {
    /// python3, /usr/bin/python3 and the pyenv versions of this machine, each once.
    static func interpreters() -> [String] {
        var candidates = [which("python3"), which("/usr/bin/python3")].compactMap { $0 }
        let env = ProcessInfo.processInfo.environment
        let root = env["PYENV_ROOT"] ?? (env["HOME"].map { $0 + "/.pyenv" } ?? "")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root + "/versions")) ?? []
        candidates += versions.sorted().map { "\(root)/versions/\($0)/bin/python3" }.filter { FileManager.default.isExecutableFile(atPath: $0) }
        var seen = Set<String>(), out: [String] = []
        for p in candidates {
            guard let r = try? runTool(p, ["-c", "import sys; print(sys.executable)"]), r.status == 0 else { continue }
            if seen.insert(r.stdout).inserted { out.append(p) }
        }
        return out
    }

    func testEmbeddedProgramStartsWithTheSuggestedArguments() throws {
        guard let cc = which("gcc") ?? which("cc"), let ldd = which("ldd") else { throw XCTSkip("SKIPPED: no C compiler or ldd") }
        var runs = 0, needingRunPath = 0
        for python in Self.interpreters() {
            let q = try runTool(python, ["-c", "import sysconfig as s; print(s.get_paths()['include']); print(s.get_config_var('Py_ENABLE_SHARED'))"])
            let lines = q.stdout.split(separator: "\n").map(String.init)
            guard lines.count == 2, lines[1] == "1", FileManager.default.fileExists(atPath: lines[0] + "/Python.h") else { continue }
            let tmp = try TempDir()
            let c = try tmp.write("app.c", Array("#include <Python.h>\nint main(void){Py_Initialize(); PyRun_SimpleString(\"print(6*7)\"); return Py_FinalizeEx();}\n".utf8))
            let o = tmp.url.appendingPathComponent("app.o").path
            XCTAssertEqual(try runTool(cc, ["-c", "-I\(lines[0])", c, "-o", o]).status, 0)
            var opts = DiagnoseOptions(inputs: [o])
            opts.embedded = true
            opts.python = .interpreter(python)
            opts.searchLibraryDirectories = false
            let d = try XCTUnwrap(Diagnoser.run(opts).diagnosis)
            XCTAssertFalse(d.findings.contains { $0.id == .missingPyInit }, "a program has no PyInit_: \(d.findings)")
            let args = d.missingLinkArguments
            let python = try XCTUnwrap(d.libraries.first { $0.role == .python }, "\(d.libraries)")
            // With every suggested argument the program links and runs.
            let app = tmp.url.appendingPathComponent("app").path
            XCTAssertEqual(try runTool(cc, [o] + args + ["-o", app]).status, 0, "\(args)")
            let run = try runTool(app, [])
            XCTAssertEqual(run.stdout, "42\n", "\(python.path) \(args): \(run.stderr)")
            runs += 1
            // Without the run path, the loader must fail or load another copy exactly when
            // symscan said it would.
            let bare = tmp.url.appendingPathComponent("app-bare").path
            XCTAssertEqual(try runTool(cc, [o] + args.filter { !$0.hasPrefix("-Wl,-rpath,") } + ["-o", bare]).status, 0)
            let lddOut = try runTool(ldd, [bare]).stdout
            let line = lddOut.split(separator: "\n").first { $0.contains("libpython") }.map(String.init) ?? ""
            let loaded = line.components(separatedBy: "=> ").last?.components(separatedBy: " (").first ?? ""
            let same = !loaded.isEmpty && URL(fileURLWithPath: loaded).resolvingSymlinksInPath().path
                == URL(fileURLWithPath: python.path).resolvingSymlinksInPath().path
            let warned = d.findings.contains { $0.id == .needsRunpath }
            XCTAssertEqual(warned, !same, "\(python.path): ldd says \(line); symscan \(d.findings)")
            if warned {
                needingRunPath += 1
                if line.contains("not found") { XCTAssertNotEqual(try runTool(bare, []).status, 0) }
            }
        }
        if runs == 0 { throw XCTSkip("SKIPPED: no Python with a shared libpython and headers") }
        print("embedded programs run: \(runs), needing a run path: \(needingRunPath)")
    }

    func testModuleNameSuffixAgreesWithImport() throws {
        guard let python = which("python3"), let cc = which("gcc") ?? which("cc") else { throw XCTSkip("SKIPPED: no python3 or C compiler") }
        let q = try runTool(python, ["-c", "import sysconfig as s; print(s.get_paths()['include']); print(s.get_config_var('EXT_SUFFIX'))"])
        let lines = q.stdout.split(separator: "\n").map(String.init)
        guard lines.count == 2, FileManager.default.fileExists(atPath: lines[0] + "/Python.h") else { throw XCTSkip("SKIPPED: no Python.h") }
        let own = lines[1]
        let other = own.contains("-311") ? own.replacingOccurrences(of: "-311", with: "-312") : ".cpython-311-x86_64-linux-gnu.so"
        let foreignMachine = own.contains("x86_64") ? own.replacingOccurrences(of: "x86_64", with: "aarch64")
            : own.replacingOccurrences(of: "aarch64", with: "x86_64")
        XCTAssertNotEqual(foreignMachine, own)
        for suffix in [own, ".abi3.so", ".so", other, foreignMachine] {
            let tmp = try TempDir()
            let c = try tmp.write("good.c", Array("#include <Python.h>\nstatic struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"good\", NULL, -1, NULL};\nPyMODINIT_FUNC PyInit_good(void) { return PyModule_Create(&def); }\n".utf8))
            let so = tmp.url.appendingPathComponent("good" + suffix).path
            XCTAssertEqual(try runTool(cc, ["-shared", "-fPIC", "-I\(lines[0])", "-o", so, c]).status, 0)
            let imported = try runTool(python, ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import good", tmp.url.path]).status == 0
            var o = DiagnoseOptions(inputs: [so])
            o.python = .interpreter(python)
            o.searchLibraryDirectories = false
            let d = try XCTUnwrap(Diagnoser.run(o).diagnosis)
            XCTAssertEqual(!d.findings.contains { $0.id == .extensionSuffixMismatch }, imported, "good\(suffix): \(d.findings)")
        }
    }
}
