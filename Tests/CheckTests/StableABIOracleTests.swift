import Check
import Foundation
import Linkage
import TestSupport
import XCTest

/// abi3audit (from PyPI, in a virtual environment) is the oracle for the Stable ABI: on a wheel
/// tagged `cp38-abi3` whose module uses `_PyLong_AsInt` and `PyUnicode_AsUTF8AndSize`, and on
/// real abi3 wheels from PyPI, `symscan check` reports the same symbols with the same versions.
final class StableABIOracleTests: XCTestCase {
    static let abi3audit = ["abi3audit==0.0.26", "abi3info==2026.9.25"]

    /// abi3audit's verdict per module file name: symbol → version that added it, or nil for
    /// "not in the Stable ABI".
    static func abi3audit(_ spec: String, bin: URL, assume: String? = nil) throws -> [String: [String: String?]] {
        let r = try runTool(bin.appendingPathComponent("abi3audit").path, ["-R", spec] + (assume.map { ["--assume-minimum-abi3", $0] } ?? []))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stderr)
        var out: [String: [String: String?]] = [:]
        for (_, s) in json["specs"] as? [String: [String: Any]] ?? [:] {
            let modules = (s["wheel"] as? [[String: Any]]) ?? [s["object"] as? [String: Any]].compactMap { $0 }
            for m in modules {
                let result = m["result"] as? [String: Any] ?? [:]
                var v: [String: String?] = [:]
                for n in result["non_abi3_symbols"] as? [String] ?? [] { v[n] = .some(nil) }
                for (n, added) in result["future_abi3_objects"] as? [String: String] ?? [:] { v[n] = added }
                out[m["name"] as? String ?? "?"] = v
            }
        }
        return out
    }

    /// symscan's `abi3-violation` per module file name, in abi3audit's terms.
    static func symscan(_ spec: String, abi3: PythonVersion? = nil) -> [String: [String: String?]] {
        var o = DiagnoseOptions(inputs: [])
        o.abi3Minimum = abi3
        o.python = .none
        o.searchLibraryDirectories = false
        let report = Gate.run(ModuleFinder(roots: [spec]), options: GateOptions(diagnose: o, failOn: .error, filter: FindingFilter(allow: AllowList([]), baseline: nil)))
        var out: [String: [String: String?]] = [:]
        for m in report.modules {
            let name = String(m.path.split(separator: "/").last ?? "")
            var v: [String: String?] = [:]
            for f in m.diagnosis?.findings ?? [] where f.id == .abi3Violation {
                for s in f.symbols {
                    let added = f.message.range(of: "\(s) (added in ").map { r in String(f.message[r.upperBound...].prefix { $0 != ")" }) }
                    v[s] = added
                }
            }
            out[name] = v
        }
        return out
    }

    func testBuiltWheelAgreesWithAbi3audit() throws {
        let bin = try PythonVenv.bin(Self.abi3audit)
        guard let cc = which("gcc") ?? which("cc"), let python = which("python3") else { throw XCTSkip("SKIPPED: no C compiler or python3") }
        let inc = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tmp = try TempDir()
        let src = try tmp.write("x.c", Array("""
            #include <Python.h>
            static PyObject *f(PyObject *self, PyObject *o) { Py_ssize_t n; (void)PyUnicode_AsUTF8AndSize(o, &n); return PyLong_FromLong(_PyLong_AsInt(o) + n); }
            static PyMethodDef methods[] = {{"f", f, METH_O, NULL}, {NULL}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_x", NULL, -1, methods};
            PyMODINIT_FUNC PyInit__x(void) { return PyModule_Create(&def); }
            """.utf8))
        let pkg = tmp.url.appendingPathComponent("w/abi3demo")
        try FileManager.default.createDirectory(at: pkg, withIntermediateDirectories: true)
        let so = pkg.appendingPathComponent("_x.abi3.so").path
        XCTAssertEqual(try runTool(cc, ["-shared", "-fPIC", "-I\(inc)", "-o", so, src]).status, 0)
        var cases: [String] = [so]
        for tag in ["cp38-abi3", "cp310-abi3", "cp312-abi3"] {
            let wheel = tmp.url.appendingPathComponent("abi3demo-1.0-\(tag)-linux_x86_64.whl").path
            let z = try runTool(python, ["-m", "zipfile", "-c", wheel, pkg.path])
            XCTAssertEqual(z.status, 0, z.stderr)
            cases.append(wheel)
        }
        for spec in cases.dropFirst() {
            let theirs = try Self.abi3audit(spec, bin: bin), ours = Self.symscan(spec)
            XCTAssertEqual(ours, theirs, spec)
        }
        // A bare file: with the minimum given, as abi3audit's --assume-minimum-abi3; without
        // one, only the names outside the Stable ABI (abi3audit would assume 3.2).
        for v in ["3.8", "3.11"] {
            let theirs = try Self.abi3audit(so, bin: bin, assume: v), ours = Self.symscan(so, abi3: PythonVersion(v))
            XCTAssertEqual(ours, theirs, "\(so) --abi3 \(v)")
        }
        let theirs = try Self.abi3audit(so, bin: bin).mapValues { $0.filter { $0.value == nil } }
        XCTAssertEqual(Self.symscan(so), theirs, "bare \(so)")
        // The cp38 wheel is the issue's example: both symbols, with 3.10 for the newer one.
        let expected: [String: String?] = ["_PyLong_AsInt": String?.none, "PyUnicode_AsUTF8AndSize": "3.10"]
        XCTAssertEqual(Self.symscan(cases[1])["_x.abi3.so"], expected)
    }

    func testRealAbi3WheelsAgreeWithAbi3audit() throws {
        let bin = try PythonVenv.bin(Self.abi3audit)
        let tmp = try TempDir()
        let wheels = try PythonVenv.downloadWheels(["cryptography", "psutil"], into: tmp.url, pip: bin.appendingPathComponent("pip"))
        XCTAssertFalse(wheels.isEmpty)
        var modules = 0
        for wheel in wheels where wheel.contains("abi3") {
            let theirs = try Self.abi3audit(wheel, bin: bin), ours = Self.symscan(wheel)
            XCTAssertEqual(ours, theirs, wheel)
            modules += ours.count
        }
        XCTAssertGreaterThan(modules, 0, "no abi3 module among \(wheels)")
    }

    func testWheelTagGivesTheMinimum() {
        XCTAssertEqual(PythonVersion(abi3WheelPython: "cp38", abi: "abi3"), PythonVersion(major: 3, minor: 8))
        XCTAssertEqual(PythonVersion(abi3WheelPython: "cp37.cp38", abi: "abi3"), PythonVersion(major: 3, minor: 8))
        XCTAssertNil(PythonVersion(abi3WheelPython: "cp311", abi: "cp311"))
    }
}
