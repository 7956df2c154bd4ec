import Foundation
import TestSupport
import XCTest

/// `symscan diagnose a.so b.so libz.so.1`: modules given together are not one link. Built here
/// with gcc; the oracle is `python3 -c "import MODULE"` for each module.
final class SeparateModulesTests: XCTestCase {
    func testEachModuleHasItsOwnVerdict() throws {
        guard let cc = which("gcc"), let python = which("python3") else { throw XCTSkip("SKIPPED: no gcc or python3") }
        let info = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include']); print(sysconfig.get_config_var('EXT_SUFFIX'))"])
        let lines = info.stdout.split(separator: "\n").map(String.init)
        guard lines.count == 2, FileManager.default.fileExists(atPath: lines[0] + "/Python.h") else { throw XCTSkip("SKIPPED: no Python.h (python3-dev)") }
        let libz = "/lib/x86_64-linux-gnu/libz.so.1"
        guard FileManager.default.fileExists(atPath: libz) else { throw XCTSkip("SKIPPED: no \(libz)") }
        let dir = try TempDir()
        var modules: [String: String] = [:]
        // _withz links libz; _noz calls crc32 without linking it (import fails).
        for (name, libs) in [("_withz", ["-lz"]), ("_noz", [])] {
            let src = try dir.write("\(name).c", Array("""
                #include <Python.h>
                #include <zlib.h>
                static PyObject *f(PyObject *s, PyObject *a) { return PyLong_FromLong((long)crc32(0, (const unsigned char *)"x", 1)); }
                static PyMethodDef m[] = {{"f", f, METH_NOARGS, ""}, {0}};
                static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, "\(name)", 0, -1, m};
                PyMODINIT_FUNC PyInit_\(name)(void) { return PyModule_Create(&d); }
                """.utf8))
            let out = dir.url.appendingPathComponent(name + lines[1]).path
            let r = try runTool(cc, ["-shared", "-fPIC", "-I", lines[0], "-o", out, src] + libs)
            XCTAssertEqual(r.status, 0, r.stderr)
            modules[name] = out
        }
        func imports(_ name: String) throws -> Bool {
            try runTool(python, ["-c", "import sys; sys.path.insert(0, '\(dir.url.path)'); import \(name)"]).status == 0
        }
        let paths = [modules["_withz"]!, modules["_noz"]!, libz]
        let r = try runSymscan(["diagnose", "--format", "json"] + paths)
        SchemaCheck.assertValid(r.stdout, "diagnose of several modules")
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let each = try XCTUnwrap(doc["modules"] as? [[String: Any]])
        XCTAssertEqual(each.count, 3)
        for (i, name) in ["_withz", "_noz"].enumerated() {
            XCTAssertEqual(each[i]["verdict"] as? String, try imports(name) ? "ok" : "fail", "\(name): \(each[i])")
        }
        // libz is no extension module: no missing-pyinit, and its own verdict is ok.
        XCTAssertEqual(each[2]["verdict"] as? String, "ok", "\(each[2])")
        XCTAssertFalse(r.stdout.contains("missing-pyinit"), r.stdout)
        // libz given beside _noz does not resolve its crc32.
        let noz = try XCTUnwrap(each[1]["unresolved"] as? [[String: Any]])
        XCTAssertTrue(noz.contains { $0["name"] as? String == "crc32" }, "\(noz)")
        XCTAssertEqual(doc["verdict"] as? String, "fail")
        XCTAssertEqual(r.status, 1)
        let text = try runSymscan(["diagnose"] + paths)
        XCTAssertTrue(text.stdout.contains("Summary: 3 modules, each diagnosed on its own: 2 OK, 1 FAIL"), text.stdout)
    }
}
