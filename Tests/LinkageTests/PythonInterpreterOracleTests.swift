import Foundation
@testable import Linkage
import TestSupport
import XCTest

/// The interpreter is the oracle for the Python C API: modules are built against its headers
/// (one calling a function it lacks, one using a debug-build-only variable, a correct one) and
/// imported by it; `diagnose --python` that interpreter must agree, naming the same symbol.
final class PythonInterpreterOracleTests: XCTestCase {
    /// The interpreters on this machine to try: `python3` on PATH and /usr/bin/python3, each
    /// once (by the executable they run).
    static func interpreters() throws -> [String] {
        var seen = Set<String>(), out: [String] = []
        for p in [which("python3"), which("/usr/bin/python3")].compactMap({ $0 }) {
            guard let r = try? runTool(p, ["-c", "import sys; print(sys.executable)"]), r.status == 0 else { continue }
            if seen.insert(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).inserted { out.append(p) }
        }
        if out.isEmpty { throw XCTSkip("SKIPPED: no python3") }
        return out
    }

    static let sources: [(name: String, body: String)] = [
        ("newapi", "extern int PyUnstable_Module_SetGIL(PyObject *, void *);\nstatic int use(PyObject *m) { return PyUnstable_Module_SetGIL(m, NULL); }"),
        ("debugonly", "extern Py_ssize_t _Py_RefTotal;\nstatic int use(PyObject *m) { (void)m; return (int)_Py_RefTotal; }"),
        ("correct", "static int use(PyObject *m) { return PyModule_AddIntConstant(m, \"x\", 1); }"),
    ]

    /// Builds `NAME.so` against `python`'s headers, exporting PyInit_NAME.
    static func build(_ name: String, _ body: String, python: String, in dir: URL) throws -> String {
        let inc = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: inc + "/Python.h") else { throw XCTSkip("SKIPPED: no Python.h for \(python)") }
        guard let cc = which("gcc") ?? which("cc") else { throw XCTSkip("SKIPPED: no C compiler") }
        let src = """
            #include <Python.h>
            \(body)
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "\(name)", NULL, -1, NULL};
            PyMODINIT_FUNC PyInit_\(name)(void) { PyObject *m = PyModule_Create(&def); if (m) use(m); return m; }
            """
        let c = dir.appendingPathComponent("\(name).c").path
        try src.write(toFile: c, atomically: true, encoding: .utf8)
        let so = dir.appendingPathComponent("\(name).so").path
        let r = try runTool(cc, ["-shared", "-fPIC", "-I\(inc)", "-o", so, c])
        XCTAssertEqual(r.status, 0, r.stderr)
        return so
    }

    static func importError(_ python: String, module: String, dir: URL) throws -> String? {
        let r = try runTool(python, ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import \(module)", dir.path])
        return r.status == 0 ? nil : r.stderr
    }

    static func diagnose(_ path: String, _ configure: (inout DiagnoseOptions) -> Void) throws -> Diagnosis {
        var o = DiagnoseOptions(inputs: [path])
        o.searchLibraryDirectories = false
        configure(&o)
        let r = Diagnoser.run(o)
        return try XCTUnwrap(r.diagnosis, "\(r.errors)")
    }

    /// symscan's verdict equals the import's, and the symbol the loader names is the one reported.
    func compare(_ d: Diagnosis, importError: String?, _ context: String) {
        XCTAssertEqual(d.verdictOK, importError == nil, "\(context): import said \(importError ?? "ok"); symscan \(d.findings)")
        guard let e = importError, let r = e.range(of: #"undefined symbol: [A-Za-z_0-9]+"#, options: .regularExpression) else { return }
        let symbol = String(e[r].dropFirst("undefined symbol: ".count))
        let f = d.findings.first { $0.id == .pythonAPINotExported }
        XCTAssertEqual(f?.symbols, [symbol], "\(context): \(d.findings)")
    }

    func testImportAgreesForEachInterpreter() throws {
        for python in try Self.interpreters() {
            let tmp = try TempDir()
            let config = try XCTUnwrap(PythonConfig.fromInterpreter(python, cacheRoot: tmp.url.path))
            for (name, body) in Self.sources {
                let so = try Self.build(name, body, python: python, in: tmp.url)
                let error = try Self.importError(python, module: name, dir: tmp.url)
                let d = try Self.diagnose(so) { $0.python = .interpreter(python) }
                compare(d, importError: error, "\(python) \(name)")
                if name == "correct" { XCTAssertNil(error) }
                if name == "newapi", let f = d.findings.first(where: { $0.id == .pythonAPINotExported }) {
                    XCTAssertTrue(f.message.contains(config.interpreterName), f.message)
                }
            }
        }
    }

    /// A cross build names its interpreter by sysconfig data alone: here this interpreter's own
    /// `_sysconfigdata_*.py`, read without running it, must give what sysconfig says and the
    /// same verdicts.
    func testSysconfigDataFileAgreesWithInterpreter() throws {
        let python = try XCTUnwrap(try Self.interpreters().first)
        let r = try runTool(python, ["-c", """
            import sysconfig, sys, os
            name = sysconfig._get_sysconfigdata_name()
            mod = __import__(name)
            print(mod.__file__)
            for k in ("LIBDIR", "LDLIBRARY", "VERSION", "EXT_SUFFIX", "SOABI", "Py_ENABLE_SHARED"):
                print(k + "=" + str(sysconfig.get_config_var(k)))
            """])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let file = try XCTUnwrap(lines.first)
        let vars = try PythonSysconfig.readFile(file)
        for line in lines.dropFirst() {
            let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
            XCTAssertEqual(vars[kv[0]] ?? "None", kv.count > 1 ? kv[1] : "", kv[0])
        }
        let tmp = try TempDir()
        for (name, body) in Self.sources {
            let so = try Self.build(name, body, python: python, in: tmp.url)
            let d = try Self.diagnose(so) { $0.python = .none; $0.pythonSysconfig = file }
            let config = try PythonConfig.fromSysconfigFile(file)
            if config.shared {
                compare(d, importError: try Self.importError(python, module: name, dir: tmp.url), "sysconfig \(name)")
            } else {
                XCTAssertTrue(d.findings.contains { $0.id == .pythonAPINotChecked }, "\(d.findings)")
            }
        }
        // PYO3_CROSS_LIB_DIR names the directory holding the data, as PyO3 reads it.
        let so = try Self.build("newapi", Self.sources[0].body, python: python, in: tmp.url)
        let viaEnv = try Self.diagnose(so) { $0.python = .none; $0.environment = ["PYO3_CROSS_LIB_DIR": (file as NSString).deletingLastPathComponent] }
        XCTAssertEqual(viaEnv.findings.map(\.id.rawValue).filter { $0.hasPrefix("python-api-not") }.count, 1, "\(viaEnv.findings)")
    }

    func testMalformedSysconfigDataIsOneErrorWithOffset() throws {
        let tmp = try TempDir()
        let text = "build_time_vars = {'LIBDIR': '/x',\n 'VERSION' 3.12}\n"
        let bad = try tmp.write("_sysconfigdata_x.py", Array(text.utf8))
        let so = try Self.build("correct", Self.sources[2].body, python: try XCTUnwrap(try Self.interpreters().first), in: tmp.url)
        var o = DiagnoseOptions(inputs: [so])
        o.pythonSysconfig = bad
        let r = Diagnoser.run(o)
        XCTAssertNil(r.diagnosis)
        XCTAssertEqual(r.errors.count, 1)
        XCTAssertEqual(r.errors.first?.offset, text.utf8.count - " 3.12}\n".utf8.count + 1, "\(r.errors)")
        XCTAssertTrue(r.errors.first?.description.contains(bad) ?? false)
    }

    /// What an interpreter said is kept on disk under its path, size and modification time, and
    /// a changed executable is asked again.
    func testInterpreterAnswerIsCachedByExecutable() throws {
        let python = try XCTUnwrap(try Self.interpreters().first)
        let exe = try runTool(python, ["-c", "import sys; print(sys.executable)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tmp = try TempDir()
        let copy = tmp.url.appendingPathComponent("python-copy").path
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: exe).resolvingSymlinksInPath().path, toPath: copy)
        // Not run: a copied interpreter cannot find its prefix. The cache only needs the file.
        let vars = ["VERSION": "3.11", "LDVERSION": "3.11", "EXECUTABLE": copy]
        InterpreterDiskCache.write(copy, vars, cacheRoot: tmp.url.path)
        var faked = vars
        faked["VERSION"] = "9.99"
        InterpreterDiskCache.write(copy, faked, cacheRoot: tmp.url.path)
        XCTAssertEqual(InterpreterDiskCache.read(copy, cacheRoot: tmp.url.path)?["VERSION"], "9.99")
        // Touching the executable invalidates the entry.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 5)], ofItemAtPath: copy)
        XCTAssertNil(InterpreterDiskCache.read(copy, cacheRoot: tmp.url.path))
        // A script (a pyenv shim) is never cached: what it runs depends on the environment.
        let shim = try tmp.write("shim", Array("#!/bin/sh\nexec \(exe) \"$@\"\n".utf8))
        chmod(shim, 0o755)
        XCTAssertNil(InterpreterDiskCache.key(shim))
    }

    /// Every extension module installed with this Python imports; none may be reported as
    /// using a C API name the interpreter lacks.
    func testInstalledModulesUseOnlyExportedNames() throws {
        for path in try ELFLoaderOracleTests.pythonModules().prefix(60) {
            let d = try Self.diagnose(path) { $0.python = .interpreter("python3") }
            XCTAssertFalse(d.findings.contains { $0.id == .pythonAPINotExported || $0.id == .pythonAPINotChecked }, "\(path): \(d.findings)")
        }
    }
}
