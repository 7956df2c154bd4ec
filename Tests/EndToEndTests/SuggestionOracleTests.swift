import Foundation
import TestSupport
import XCTest

/// Every suggested fix is tried: gcc + GNU ld link the module for real, symscan says what to
/// drop and add, the same command with exactly those changes must link, and `python3 -c
/// "import m"` must then work (an AddressSanitizer runtime suggested for a libc name aborts it).
final class SuggestionOracleTests: XCTestCase {
    struct Toolchain {
        var cc: String
        var cxx: String
        var python: String
        var include: String
    }

    func toolchain() throws -> Toolchain {
        guard let cc = which("gcc"), let cxx = which("g++") else { throw XCTSkip("SKIPPED: no gcc/g++") }
        guard let python = which("python3") else { throw XCTSkip("SKIPPED: no python3") }
        let inc = try runTool(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"])
        let include = inc.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard inc.status == 0, FileManager.default.fileExists(atPath: include + "/Python.h") else {
            throw XCTSkip("SKIPPED: no Python.h for \(python)")
        }
        guard FileManager.default.fileExists(atPath: "/usr/include/zlib.h") else { throw XCTSkip("SKIPPED: no zlib.h (zlib1g-dev)") }
        return Toolchain(cc: cc, cxx: cxx, python: python, include: include)
    }

    /// A module that needs libm (lgamma), zlib (crc32), the C++ runtime (a helper object built
    /// with g++) and the Python C API.
    static let moduleSource = """
        #include <Python.h>
        #include <math.h>
        #include <zlib.h>
        extern double helper_sum(int n);
        static PyObject *f(PyObject *self, PyObject *arg) {
            double x = PyFloat_AsDouble(arg);
            return PyFloat_FromDouble(lgamma(x) + crc32(0, (const unsigned char *)"a", 1) + helper_sum(3));
        }
        static PyMethodDef methods[] = {{"f", f, METH_O, ""}, {0}};
        static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", 0, -1, methods};
        PyMODINIT_FUNC PyInit_m(void) { return PyModule_Create(&def); }
        """
    static let helperSource = """
        #include <vector>
        #include <numeric>
        extern "C" double helper_sum(int n) { std::vector<double> v(n, 1.0); return std::accumulate(v.begin(), v.end(), 0.0); }
        """

    /// What symscan's JSON says to drop and to add.
    func fix(_ args: [String]) throws -> (drop: [String], add: [String], json: [String: Any]) {
        let r = try runSymscan(args)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        return (root["removeLinkArguments"] as? [String] ?? [], root["missingLinkArguments"] as? [String] ?? [], root)
    }

    func assertNoInterposer(_ args: [String], file: StaticString = #filePath, line: UInt = #line) {
        for a in args {
            for bad in ["asan", "tsan", "lsan", "ubsan", "memusage", "malloc_debug", "pcprofile", "SegFault", "fakeroot"] {
                XCTAssertFalse(a.contains(bad), "\(bad) suggested: \(args)", file: file, line: line)
            }
        }
    }

    func importModule(_ t: Toolchain, in dir: String, _ name: String, call: String) throws -> RunResult {
        try runTool(t.python, ["-c", "import sys; sys.path.insert(0, \(pythonString(dir))); import \(name); print(\(name).\(call))"])
    }

    func pythonString(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'" }

    /// `-Wl,-z,defs` on a Linux extension module: the real link fails on the Python symbols
    /// and the libraries it lacks. The fix drops -z defs (never links libpython) and adds only
    /// the libraries that define the rest; the fixed link succeeds and the module imports.
    func testZDefsModuleGetsDropAndTheLibrariesItLacks() throws {
        let t = try toolchain()
        let tmp = try TempDir()
        let dir = tmp.url.path
        let src = try tmp.write("m.c", Array(Self.moduleSource.utf8))
        let helper = try tmp.write("helper.cc", Array(Self.helperSource.utf8))
        let obj = dir + "/m.o", hobj = dir + "/helper.o", out = dir + "/m.so"
        XCTAssertEqual(try runTool(t.cc, ["-fPIC", "-c", "-I", t.include, src, "-o", obj]).status, 0)
        XCTAssertEqual(try runTool(t.cxx, ["-fPIC", "-c", helper, "-o", hobj]).status, 0)
        let link = [t.cc, "-shared", "-o", out, obj, hobj, "-Wl,-z,defs"]
        let failed = try runTool(link[0], Array(link.dropFirst()))
        XCTAssertNotEqual(failed.status, 0, "the oracle link should fail: " + failed.stderr)

        let (drop, add, json) = try fix(["link-line", "--format", "json", "--"] + link)
        XCTAssertEqual(drop, ["-Wl,-z,defs"])
        XCTAssertTrue(add.contains("-lm"), "\(add)")
        XCTAssertTrue(add.contains("-lz"), "\(add)")
        XCTAssertFalse(add.contains { $0.contains("python") }, "libpython suggested for a Linux module: \(add)")
        XCTAssertFalse(add.contains { $0.hasPrefix("-l:") }, "the development name, not a versioned file: \(add)")
        XCTAssertFalse(add.contains { $0.hasPrefix("-L/usr/lib/x86_64-linux-gnu") || $0.hasPrefix("-L/lib/") },
                       "a -L the linker searches anyway: \(add)")
        assertNoInterposer(add)
        let ids = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertTrue(ids.contains("no-undefined-extension"), "\(ids)")
        XCTAssertFalse(ids.contains("libpython-not-linked"), "\(ids)")

        // Exactly the printed changes, applied to the same command.
        let fixed = link.filter { !drop.contains($0) } + add
        let relinked = try runTool(fixed[0], Array(fixed.dropFirst()))
        XCTAssertEqual(relinked.status, 0, "fixed link \(fixed.joined(separator: " ")) failed: " + relinked.stderr)
        let imported = try importModule(t, in: dir, "m", call: "f(2.0)")
        XCTAssertEqual(imported.status, 0, imported.stderr)

        // The text report says the same, fix first, and no cargo lines for a C link.
        let text = try runSymscan(["link-line", "--"] + link)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("  " + drop.joined(separator: " ")), text.stdout)
        XCTAssertTrue(lines.contains("  " + add.joined(separator: " ")), text.stdout)
        XCTAssertTrue(lines[1].hasPrefix("FAIL: \(out) "), "the subject is the -o file: " + lines[1])
        XCTAssertFalse(text.stdout.contains("RUSTFLAGS") || text.stdout.contains("cargo:"), text.stdout)
    }

    /// A module built with -fopenmp but linked without it: ld accepts it, the import fails on
    /// omp_get_max_threads. The fix is -fopenmp (not -l:libgomp.so.1), and with it the module
    /// imports.
    func testOpenMPModuleGetsFopenmp() throws {
        let t = try toolchain()
        let tmp = try TempDir()
        let dir = tmp.url.path
        let src = try tmp.write("omp.c", Array("""
            #include <Python.h>
            #include <omp.h>
            static PyObject *n(PyObject *self, PyObject *unused) { return PyLong_FromLong(omp_get_max_threads()); }
            static PyMethodDef methods[] = {{"n", n, METH_NOARGS, ""}, {0}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "omp", 0, -1, methods};
            PyMODINIT_FUNC PyInit_omp(void) { return PyModule_Create(&def); }
            """.utf8))
        let obj = dir + "/omp.o", out = dir + "/omp.so"
        XCTAssertEqual(try runTool(t.cc, ["-fPIC", "-fopenmp", "-c", "-I", t.include, src, "-o", obj]).status, 0)
        let link = [t.cc, "-shared", "-o", out, obj]
        XCTAssertEqual(try runTool(link[0], Array(link.dropFirst())).status, 0)
        let before = try importModule(t, in: dir, "omp", call: "n()")
        XCTAssertNotEqual(before.status, 0, "the oracle import should fail")
        XCTAssertTrue(before.stderr.contains("omp_get_max_threads"), before.stderr)

        let (drop, add, _) = try fix(["diagnose", "--format", "json", out])
        XCTAssertEqual(drop, [])
        XCTAssertEqual(add, ["-fopenmp"])
        let fixed = link + add
        XCTAssertEqual(try runTool(fixed[0], Array(fixed.dropFirst())).status, 0)
        let after = try importModule(t, in: dir, "omp", call: "n()")
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(try runSymscan(["diagnose", out]).status, 0)
    }

    /// A module missing only lgamma: `diagnose` suggests -lm and nothing else (libasan and
    /// libtsan export lgamma too); relinked with it, the module links libm and imports.
    func testLgammaGetsLibmOnly() throws {
        let t = try toolchain()
        let tmp = try TempDir()
        let dir = tmp.url.path
        let src = try tmp.write("lg.c", Array("""
            #include <Python.h>
            #include <math.h>
            static PyObject *g(PyObject *self, PyObject *arg) { return PyFloat_FromDouble(lgamma(PyFloat_AsDouble(arg))); }
            static PyMethodDef methods[] = {{"g", g, METH_O, ""}, {0}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "lg", 0, -1, methods};
            PyMODINIT_FUNC PyInit_lg(void) { return PyModule_Create(&def); }
            """.utf8))
        let obj = dir + "/lg.o", out = dir + "/lg.so"
        XCTAssertEqual(try runTool(t.cc, ["-fPIC", "-c", "-I", t.include, src, "-o", obj]).status, 0)
        let link = [t.cc, "-shared", "-o", out, obj]
        XCTAssertEqual(try runTool(link[0], Array(link.dropFirst())).status, 0)
        let (_, add, _) = try fix(["diagnose", "--format", "json", out])
        XCTAssertEqual(add, ["-lm"])
        let fixed = link + add
        XCTAssertEqual(try runTool(fixed[0], Array(fixed.dropFirst())).status, 0)
        let needed = try runTool("/usr/bin/env", ["readelf", "-d", out]).stdout
        XCTAssertTrue(needed.contains("[libm.so.6]"), needed)
        let imported = try importModule(t, in: dir, "lg", call: "g(5.0)")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasPrefix("3.178"), imported.stdout)  // ln(4!) = ln 24
        XCTAssertEqual(try runSymscan(["diagnose", out]).status, 0)
    }

    /// A library directory already on the link line is not suggested again, and no -L for the
    /// directories ld searches anyway: zlib copied into a -L directory, the fix is `-lz` alone
    /// (no Python needed: a plain shared object linked with -z defs).
    func testLibraryDirectoryOnTheLineIsNotSuggestedAgain() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        guard FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libz.so") else { throw XCTSkip("SKIPPED: no libz.so (zlib1g-dev)") }
        let tmp = try TempDir()
        let dir = tmp.url.path
        try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: FileManager.default.destinationOfSymbolicLinkResolved("/usr/lib/x86_64-linux-gnu/libz.so"), toPath: dir + "/lib/libz.so")
        let src = try tmp.write("z.c", Array("unsigned long crc32(unsigned long, const unsigned char *, unsigned);\nunsigned long f(void) { return crc32(0, 0, 0); }\n".utf8))
        let obj = dir + "/z.o"
        XCTAssertEqual(try runTool(cc, ["-fPIC", "-c", src, "-o", obj]).status, 0)
        let link = [cc, "-shared", "-o", dir + "/z.so", obj, "-L", dir + "/lib", "-Wl,-z,defs"]
        XCTAssertNotEqual(try runTool(link[0], Array(link.dropFirst())).status, 0)
        let (drop, add, _) = try fix(["link-line", "--no-python", "--format", "json", "--"] + link)
        XCTAssertEqual(drop, [], "no Python symbols: -z defs stays")
        XCTAssertEqual(add, ["-lz"])
        let fixed = link + add
        XCTAssertEqual(try runTool(fixed[0], Array(fixed.dropFirst())).status, 0)
    }
}

extension FileManager {
    /// The file a chain of symbolic links ends at.
    func destinationOfSymbolicLinkResolved(_ path: String) throws -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
