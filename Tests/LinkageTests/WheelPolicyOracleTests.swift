import Foundation
import ImageLoader
import Linkage
import TestSupport
import XCTest

/// auditwheel (from PyPI, in a virtual environment) is the oracle for platform policies: on
/// wheels built here (one needing a library manylinux does not allow, one needing a too-new glibc
/// symbol, a correct one) and on real manylinux and musllinux wheels from PyPI, symscan's
/// policy check agrees with auditwheel on whether the wheel is consistent with its tag, and
/// names the same too-new versions and not-allowed libraries.
final class WheelPolicyOracleTests: XCTestCase {
    static let requirements = ["auditwheel==6.8.2"]

    /// auditwheel's analysis of `wheel` against the policy of `tag`, through its own API (what
    /// `auditwheel show` prints, as data).
    static let analyze = """
        import sys, json
        from pathlib import Path
        from auditwheel.wheel_abi import analyze_wheel_abi
        w = analyze_wheel_abi(None, None, Path(sys.argv[1]), frozenset(), disable_isa_ext_check=True, allow_graft=False)
        tag = sys.argv[2]
        pol = next(p for p in w.policies if p.name == tag or tag in p.aliases)
        allowed = {k: {k + "_" + v for v in vs} for k, vs in pol.symbol_versions.items()}
        too_new = sorted({v for vs in w.versioned_symbols.values() for v in vs
                          if v.partition("_")[0] in allowed and v not in allowed[v.partition("_")[0]]})
        ref = w.external_refs.get(pol.name)
        print(json.dumps({"consistent": w.overall_policy.priority >= pol.priority, "tooNew": too_new,
                          "notAllowed": sorted(ref.libs) if ref else []}))
        """

    /// Writes a wheel with a dist-info (auditwheel reads its RECORD) holding `files`.
    static let makeWheel = """
        import sys, zipfile, os, hashlib, base64
        whl, root = sys.argv[1], sys.argv[2]
        name, ver, py, abi, plat = os.path.basename(whl)[:-4].split("-")
        di = f"{name}-{ver}.dist-info"
        files = {}
        for d, _, fs in os.walk(root):
            for f in fs:
                files[os.path.relpath(os.path.join(d, f), root)] = open(os.path.join(d, f), "rb").read()
        files[f"{di}/METADATA"] = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {ver}\\n".encode()
        files[f"{di}/WHEEL"] = f"Wheel-Version: 1.0\\nGenerator: symscan-test\\nRoot-Is-Purelib: false\\nTag: {py}-{abi}-{plat}\\n".encode()
        rec = "".join(f"{k},sha256={base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b'=').decode()},{len(v)}\\n" for k, v in files.items())
        files[f"{di}/RECORD"] = (rec + f"{di}/RECORD,,\\n").encode()
        with zipfile.ZipFile(whl, "w") as z:
            for k, v in files.items(): z.writestr(k, v)
        """

    struct Verdict: Equatable {
        var consistent: Bool
        var tooNew: [String]
        var notAllowed: [String]
    }

    static func auditwheel(_ wheel: String, tag: String, bin: URL) throws -> Verdict {
        let r = try runTool(bin.appendingPathComponent("python").path, ["-c", analyze, wheel, tag])
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "auditwheel: \(r.stderr.suffix(800))")
        return Verdict(consistent: j["consistent"] as? Bool ?? false, tooNew: j["tooNew"] as? [String] ?? [],
                       notAllowed: j["notAllowed"] as? [String] ?? [])
    }

    /// symscan's verdict on the ELF files of the wheel unpacked in `dir`, against `tag`: the
    /// libraries the wheel carries are allowed, as auditwheel repair's grafts are.
    static func symscan(_ dir: URL, tag: String) throws -> Verdict {
        let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String }.filter { $0.contains(".so") } ?? []
        let images = files.flatMap { ImageLoader.load(path: dir.appendingPathComponent($0).path).images }
        let bundled = Set(images.compactMap { $0.dynamic?.soname })
        var findings: [Finding] = []
        for image in images {
            let policy = try XCTUnwrap(WheelPolicy.named(tag, machine: image.machine), tag)
            findings += policy.check(image: image, bundled: bundled)
        }
        let tooNew = Set(findings.filter { $0.id == .symbolVersionTooNew }.flatMap(\.symbols).map { String($0.split(separator: "@").last!) })
        let libs = Set(findings.filter { $0.id == .libraryNotAllowed }.compactMap { f in
            f.message.range(of: " needs ").map { String(f.message[$0.upperBound...].prefix { $0 != "," }) }
        })
        return Verdict(consistent: !findings.contains { $0.severity == .error }, tooNew: tooNew.sorted(), notAllowed: libs.sorted())
    }

    static func buildWheel(_ name: String, source: String, libs: [String], tag: String, in tmp: URL, bin: URL) throws -> (wheel: String, root: URL) {
        guard let cc = which("gcc") ?? which("cc"), let python = which("python3") else { throw XCTSkip("SKIPPED: no C compiler or python3") }
        let inc = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let root = tmp.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        let c = tmp.appendingPathComponent("\(name).c").path
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        let so = root.appendingPathComponent("\(name)/_m.so").path
        let r = try runTool(cc, ["-shared", "-fPIC", "-I\(inc)", "-o", so, c] + libs)
        if r.status != 0 { throw XCTSkip("SKIPPED: cannot build the \(name) case here: \(r.stderr.suffix(300))") }
        let wheel = tmp.appendingPathComponent("\(name)-1.0-cp311-cp311-\(tag).whl").path
        let z = try runTool(bin.appendingPathComponent("python").path, ["-c", makeWheel, wheel, root.path])
        XCTAssertEqual(z.status, 0, z.stderr)
        return (wheel, root)
    }

    static func module(_ body: String, includes: String = "") -> String {
        """
        #include <Python.h>
        #include <unistd.h>
        \(includes)
        /* getpid: every module needs libc, from which auditwheel tells glibc from musl. */
        static PyObject *f(PyObject *self, PyObject *o) { return PyLong_FromLong((long)getpid() + (\(body))); }
        static PyMethodDef methods[] = {{"f", f, METH_O, NULL}, {NULL}};
        static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_m", NULL, -1, methods};
        PyMODINIT_FUNC PyInit__m(void) { return PyModule_Create(&def); }
        """
    }

    func testBuiltWheelsAgreeWithAuditwheel() throws {
        let bin = try PythonVenv.bin(Self.requirements)
        let tmp = try TempDir()
        let cases: [(String, String, [String])] = [
            ("newglibc", Self.module("dlopen(\"x\", RTLD_NOW) != NULL", includes: "#include <dlfcn.h>"), []),
            ("needselfl", Self.module("(long)elf_version(EV_CURRENT)", includes: "#include <libelf.h>"), ["-lelf"]),
            ("correct", Self.module("PyObject_IsTrue(o)"), []),
        ]
        for (name, source, libs) in cases {
            for tag in ["manylinux_2_17_x86_64", "manylinux_2_34_x86_64"] {
                let (wheel, root) = try Self.buildWheel(name, source: source, libs: libs, tag: tag, in: tmp.url, bin: bin)
                let theirs = try Self.auditwheel(wheel, tag: tag, bin: bin), ours = try Self.symscan(root, tag: tag)
                XCTAssertEqual(ours.consistent, theirs.consistent, "\(name) \(tag): auditwheel \(theirs), symscan \(ours)")
                XCTAssertEqual(ours.notAllowed, theirs.notAllowed, "\(name) \(tag)")
                // auditwheel also counts what a not-allowed system library needs itself (it
                // would be bundled with its needs); symscan names the module's own needs.
                if theirs.notAllowed.isEmpty { XCTAssertEqual(ours.tooNew, theirs.tooNew, "\(name) \(tag)") }
                try FileManager.default.removeItem(at: root)
            }
        }
        let (_, root) = try Self.buildWheel("newglibc2", source: cases[0].1, libs: [], tag: "manylinux_2_17_x86_64", in: tmp.url, bin: bin)
        XCTAssertEqual(try Self.symscan(root, tag: "manylinux2014_x86_64").tooNew, ["GLIBC_2.34"], "the alias names the same policy")
    }

    func testRealWheelsAgreeWithAuditwheel() throws {
        let bin = try PythonVenv.bin(Self.requirements)
        let tmp = try TempDir()
        let pip = bin.appendingPathComponent("pip")
        var wheels = try PythonVenv.downloadWheels(["markupsafe", "pyyaml", "psutil"], into: tmp.url.appendingPathComponent("many"), pip: pip)
        let musl = try runTool(pip.path, ["download", "--quiet", "--only-binary", ":all:", "--no-deps", "--platform", "musllinux_1_2_x86_64",
                                          "--python-version", "3.11", "--dest", tmp.url.appendingPathComponent("musl").path, "markupsafe", "pyyaml"])
        if musl.status == 0 {
            wheels += try FileManager.default.contentsOfDirectory(atPath: tmp.url.appendingPathComponent("musl").path).map { tmp.url.appendingPathComponent("musl/\($0)").path }
        }
        var compared = 0
        for wheel in wheels where wheel.hasSuffix(".whl") {
            let dir = tmp.url.appendingPathComponent("x\(compared)")
            let unzip = try runTool(bin.appendingPathComponent("python").path, ["-m", "zipfile", "-e", wheel, dir.path])
            XCTAssertEqual(unzip.status, 0)
            let platforms = (wheel as NSString).lastPathComponent.dropLast(4).split(separator: "-").last!.split(separator: ".").map(String.init)
            for tag in platforms where WheelPolicy.named(tag, machine: nil) != nil {
                let theirs = try Self.auditwheel(wheel, tag: tag, bin: bin), ours = try Self.symscan(dir, tag: tag)
                XCTAssertEqual(ours, theirs, "\(wheel) \(tag)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 3)
    }

    func testPolicyNames() throws {
        XCTAssertEqual(WheelPolicy.named("manylinux2014", machine: "x86-64")?.tag, "manylinux_2_17_x86_64")
        XCTAssertEqual(WheelPolicy.named("manylinux_2_28_aarch64", machine: "x86-64")?.tag, "manylinux_2_28_aarch64")
        XCTAssertEqual(WheelPolicy.named("manylinux1", machine: "x86-64")?.tag, "manylinux_2_5_x86_64")
        XCTAssertEqual(WheelPolicy.named("musllinux_1_2", machine: "aarch64")?.tag, "musllinux_1_2_aarch64")
        XCTAssertEqual(WheelPolicy.named("android_21_arm64_v8a", machine: nil)?.tag, "android_21_aarch64")
        XCTAssertNil(WheelPolicy.named("linux_x86_64", machine: "x86-64"))
        XCTAssertNil(WheelPolicy.named("manylinux_2_99", machine: "x86-64"))
    }
}
