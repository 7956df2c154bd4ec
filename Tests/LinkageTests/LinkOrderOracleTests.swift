import Foundation
import Linkage
import TestSupport
import XCTest

/// A matrix of real links of a small C extension module (zlib's crc32, libm's cbrt,
/// pthread_mutex_lock and memcpy from libc, and a hidden helper defined in another object),
/// made here with gcc (GNU ld through collect2; Debian's gcc passes --as-needed) and clang
/// (which runs gold here). A dropped `-lm` alone is left out: CPython links libm, so such a
/// module imports although the link lacks it (symscan does not model the interpreter's scope). The oracle for each case is what really happens:
/// the link's exit status, then `python3 -c "import _crcmod"`. symscan's replay of the same
/// line must predict it, and where it predicts a failure, its printed arguments appended to the
/// same command must make the link and the import succeed.
final class LinkOrderOracleTests: XCTestCase {
    struct Case {
        var name: String
        /// The command after the driver, with `MOD`, `HELPER`, `DIR`, `PYLIB` substituted.
        var line: String
        /// A finding id the replay must report when the real link or import fails (the case
        /// exists to exercise it; gold, which clang runs here, keeps --as-needed libraries that
        /// anything references, so some of these links work there).
        var finding: String?
    }

    static let cases: [Case] = [
        Case(name: "libraries after the objects", line: "-shared -o MOD _crcmod.o HELPER -lz -lm"),
        Case(name: "libraries before the objects, no --as-needed", line: "-shared -o MOD -lz -lm _crcmod.o HELPER"),
        Case(name: "--as-needed libraries before the objects", line: "-shared -o MOD -Wl,--as-needed -lz -lm _crcmod.o HELPER", finding: "library-order"),
        Case(name: "--as-needed libraries after the objects", line: "-shared -o MOD _crcmod.o HELPER -Wl,--as-needed -lz -lm"),
        Case(name: "--as-needed then --no-as-needed", line: "-shared -o MOD -Wl,--as-needed -lz _crcmod.o -Wl,--no-as-needed -lm HELPER", finding: "library-order"),
        Case(name: "--push-state/--pop-state", line: "-shared -o MOD -Wl,--push-state,--as-needed -lz -Wl,--pop-state _crcmod.o HELPER -lm", finding: "library-order"),
        Case(name: "static archive before the objects", line: "-shared -o MOD DIR/libz-static.a _crcmod.o HELPER -lm", finding: "library-order"),
        Case(name: "static archive after the objects", line: "-shared -o MOD _crcmod.o HELPER DIR/libz-static.a -lm"),
        Case(name: "-Bstatic -lz after the objects", line: "-shared -o MOD _crcmod.o HELPER -Wl,-Bstatic -lz -Wl,-Bdynamic -lm"),
        Case(name: "-Bstatic -lz before the objects", line: "-shared -o MOD -Wl,-Bstatic -lz -Wl,-Bdynamic _crcmod.o HELPER -lm", finding: "library-order"),
        Case(name: "hidden helper in an archive after the objects", line: "-shared -o MOD _crcmod.o DIR/libhelper.a -lz -lm"),
        Case(name: "hidden helper in an archive before the objects", line: "-shared -o MOD DIR/libhelper.a _crcmod.o -lz -lm", finding: "library-order"),
        Case(name: "archives that need each other, no group", line: "-shared -o MOD _crcmod.o helper_grp.o DIR/libgrpa.a DIR/libgrpb.a -lz -lm", finding: "library-order"),
        Case(name: "archives that need each other, in a group", line: "-shared -o MOD _crcmod.o helper_grp.o -Wl,--start-group DIR/libgrpa.a DIR/libgrpb.a -Wl,--end-group -lz -lm"),
        Case(name: "a linker script after the objects", line: "-shared -o MOD _crcmod.o HELPER -LDIR -lzm"),
        Case(name: "a linker script before the objects, --as-needed", line: "-shared -o MOD -Wl,--as-needed -LDIR -lzm _crcmod.o HELPER", finding: "library-order"),
        Case(name: "glibc's empty archives and -lgcc_s", line: "-shared -o MOD _crcmod.o HELPER -lz -lm -lpthread -ldl -lrt -lutil -lgcc_s"),
        Case(name: "-z defs, everything given", line: "-shared -o MOD -Wl,-z,defs _crcmod.o HELPER -lz -lm PYLIB"),
        Case(name: "-z defs without -lm", line: "-shared -o MOD -Wl,-z,defs _crcmod.o HELPER -lz PYLIB"),
        Case(name: "-z defs, --as-needed -lm before the objects", line: "-shared -o MOD -Wl,-z,defs -Wl,--as-needed -lm _crcmod.o HELPER -lz PYLIB", finding: "library-order"),
    ]

    /// The module's sources: `_crcmod.c` calls into zlib, libm, libc and `crc_helper`, which
    /// `helper.c` defines hidden; `helper_grp.c` reaches two archives that need each other.
    static let sources: [String: String] = [
        "_crcmod.c": """
            #include <Python.h>
            #include <zlib.h>
            #include <math.h>
            #include <pthread.h>
            #include <string.h>
            long crc_helper(long);
            static PyObject *crc(PyObject *self, PyObject *arg) {
                double x = PyFloat_AsDouble(arg);
                unsigned char buf[16];
                memcpy(buf, "symscan-order", 14);
                pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
                pthread_mutex_lock(&m);
                pthread_mutex_unlock(&m);
                return PyLong_FromLong((long)crc32(0, buf, 13) + (long)cbrt(x) + crc_helper((long)x));
            }
            static PyMethodDef methods[] = {{"crc", crc, METH_O, ""}, {0}};
            static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_crcmod", 0, -1, methods};
            PyMODINIT_FUNC PyInit__crcmod(void) { return PyModule_Create(&def); }
            """,
        "helper.c": "__attribute__((visibility(\"hidden\"))) long crc_helper(long x) { return 2 * x; }\n",
        "helper_grp.c": "long grp_a(long);\n__attribute__((visibility(\"hidden\"))) long crc_helper(long x) { return grp_a(x); }\n",
        "grp_a.c": "long grp_b(long);\nlong grp_a(long x) { return grp_b(x) + 1; }\n",
        "grp_a2.c": "long grp_a2(long x) { return x * 3; }\n",
        "grp_b.c": "long grp_a2(long);\nlong grp_b(long x) { return grp_a2(x) - 1; }\n",
    ]

    struct Setup {
        let dir: TempDir
        let module: String
        let python: String
        let pythonLibrary: String
    }

    /// Compiles the sources and builds the archives and the linker script; skips visibly when
    /// a tool or header is missing.
    func setUpModule(_ cc: String) throws -> Setup {
        guard let python = which("python3") else { throw XCTSkip("SKIPPED: no python3") }
        let info = try runTool(python, ["-c", """
            import sysconfig; p = sysconfig.get_paths()['include']; v = sysconfig.get_config_var
            print(p); print(v('EXT_SUFFIX')); print(v('LIBDIR')); print(v('LDVERSION'))
            """])
        let lines = info.stdout.split(separator: "\n").map(String.init)
        guard info.status == 0, lines.count == 4, FileManager.default.fileExists(atPath: lines[0] + "/Python.h") else {
            throw XCTSkip("SKIPPED: no Python.h for \(python) (python3-dev)")
        }
        guard FileManager.default.fileExists(atPath: "/usr/include/zlib.h") else { throw XCTSkip("SKIPPED: no zlib.h (zlib1g-dev)") }
        guard let ar = which("ar") else { throw XCTSkip("SKIPPED: no ar") }
        let dir = try TempDir()
        for (name, text) in Self.sources {
            let src = try dir.write(name, Array(text.utf8))
            let obj = dir.url.appendingPathComponent(name.replacingOccurrences(of: ".c", with: ".o")).path
            let r = try runTool(cc, ["-fPIC", "-O0", "-I", lines[0], "-c", src, "-o", obj])
            XCTAssertEqual(r.status, 0, "\(cc) \(name): \(r.stderr)")
        }
        let d = dir.url.path
        for (archive, members) in [("libhelper.a", ["helper.o"]), ("libgrpa.a", ["grp_a.o", "grp_a2.o"]), ("libgrpb.a", ["grp_b.o"])] {
            XCTAssertEqual(try runTool(ar, ["rcs", "\(d)/\(archive)"] + members.map { "\(d)/\($0)" }).status, 0)
        }
        // A copy of zlib's archive, named so that no -l finds it by accident.
        try FileManager.default.copyItem(atPath: "/usr/lib/x86_64-linux-gnu/libz.a", toPath: "\(d)/libz-static.a")
        _ = try dir.write("libzm.so", Array("""
            /* GNU ld script: zlib and libm, the way glibc's libm.so is written */
            OUTPUT_FORMAT(elf64-x86-64)
            INPUT ( -lz )
            GROUP ( libm.so.6 AS_NEEDED ( libmvec.so.1 ) )

            """.utf8))
        return Setup(dir: dir, module: "_crcmod" + lines[1], python: python,
                     pythonLibrary: "-L\(lines[2]) -lpython\(lines[3])")
    }

    func arguments(_ c: Case, _ s: Setup) -> [String] {
        let d = s.dir.url.path
        return c.line.split(separator: " ").map { word in
            var w = String(word)
            w = w.replacingOccurrences(of: "MOD", with: "\(d)/\(s.module)")
            w = w.replacingOccurrences(of: "DIR", with: d)
            if w == "HELPER" { w = "\(d)/helper.o" }
            if w.hasSuffix(".o"), !w.hasPrefix("/") { w = "\(d)/\(w)" }
            return w
        }.flatMap { $0 == "PYLIB" ? s.pythonLibrary.split(separator: " ").map(String.init) : [$0] }
    }

    /// Links, then imports the module and calls it; true when both work.
    func realOutcome(_ cc: String, _ args: [String], _ s: Setup) throws -> (ok: Bool, why: String) {
        try? FileManager.default.removeItem(atPath: "\(s.dir.url.path)/\(s.module)")
        let link = try runTool(cc, args)
        guard link.status == 0 else { return (false, "link: \(link.stderr)") }
        let imp = try runTool(s.python, ["-c", "import sys; sys.path.insert(0, '\(s.dir.url.path)'); import _crcmod; _crcmod.crc(8.0)"])
        return (imp.status == 0, "import: \(imp.stderr)")
    }

    func replay(_ cc: String, _ args: [String]) throws -> Diagnosis {
        var base = DiagnoseOptions(inputs: [])
        base.python = .none
        base.environment = ProcessInfo.processInfo.environment
        let text = ([cc] + args).map { "'\($0)'" }.joined(separator: " ")
        let r = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: text), base: base))
        XCTAssertEqual(r.diagnose.errors.map(\.description), [], text)
        return try XCTUnwrap(r.diagnose.diagnosis, text)
    }

    /// symscan predicts success when its verdict is ok and nothing it calls unresolved would be
    /// missing at import (weak references and Python's own names are provided or allowed).
    func predictsSuccess(_ d: Diagnosis) -> Bool {
        d.verdictOK && d.unresolved.allSatisfy { $0.weak || $0.expected }
    }

    func runMatrix(_ cc: String, linker: [String] = []) throws {
        let s = try setUpModule(cc)
        var agreed = 0
        for c in Self.cases {
            let args = linker + arguments(c, s)
            let real = try realOutcome(cc, args, s)
            let d = try replay(cc, args)
            let label = "\(FileSystem_baseName(cc)) \(linker.joined(separator: " ")): \(c.name)"
            XCTAssertEqual(predictsSuccess(d), real.ok, "\(label): real \(real.why); symscan \(d.findings.map { "\($0.id): \($0.message)" })")
            if predictsSuccess(d) == real.ok { agreed += 1 }
            XCTAssertNil(d.findings.first { ["library-unusable", "library-not-found"].contains($0.id.rawValue) }, "\(label): \(d.findings)")
            if let f = c.finding, !real.ok {
                XCTAssertNotNil(d.findings.first { $0.id.rawValue == f }, "\(label): no \(f) in \(d.findings)")
            }
            guard !predictsSuccess(d) else { continue }
            // symscan's own arguments, added to the same command, must fix it.
            XCTAssertFalse(d.missingLinkArguments.isEmpty, "\(label): fail without a fix: \(d.findings)")
            let fixed = args + d.missingLinkArguments
            let after = try realOutcome(cc, fixed, s)
            XCTAssertTrue(after.ok, "\(label): with \(d.missingLinkArguments): \(after.why)")
            let again = try replay(cc, fixed)
            XCTAssertTrue(predictsSuccess(again), "\(label): relinked, symscan still says \(again.findings)")
            // Nor does it call what it just asked for unused, or ask for it again.
            XCTAssertNil(again.findings.first { f in f.id.rawValue == "unused-library" && d.missingLinkArguments.contains { f.message.hasPrefix($0 + " ") } },
                         "\(label): \(again.findings)")
            XCTAssertEqual(again.missingLinkArguments, [], label)
        }
        print("LinkOrderOracleTests \(FileSystem_baseName(cc)) \(linker.joined(separator: " ")): symscan agrees with ld + import in \(agreed) of \(Self.cases.count) links")
    }

    func testMatrixWithGCC() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        try runMatrix(cc)
    }

    func testMatrixWithClang() throws {
        guard let cc = which("clang") else { throw XCTSkip("SKIPPED: no clang") }
        try runMatrix(cc)
    }

    /// lld keeps an --as-needed library that anything references and takes archive members for
    /// later references too: links that fail with GNU ld work with lld, and symscan must say so.
    func testMatrixWithLLD() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        guard which("ld.lld") != nil else { throw XCTSkip("SKIPPED: no ld.lld on PATH") }
        try runMatrix(cc, linker: ["-fuse-ld=lld"])
    }

    /// Without the driver's libraries (-nostdlib) and with -z defs, ld names what libc would have
    /// provided; symscan's unresolved set must be the same names.
    func testNostdlibLeavesLibcOut() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        let s = try setUpModule(cc)
        let args = arguments(Case(name: "", line: "-shared -nostdlib -o MOD -Wl,-z,defs _crcmod.o HELPER -lz -lm PYLIB"), s)
        let link = try runTool(cc, args)
        XCTAssertNotEqual(link.status, 0)
        let theirs = Set(CommandLineText(parsing: link.stderr).undefinedInErrors)
        XCTAssertTrue(theirs.contains("memcpy"), "\(theirs)")
        let d = try replay(cc, args)
        XCTAssertEqual(Set(d.unresolved.filter { !$0.weak }.map(\.name)), theirs)
        // The same line with the driver's libraries links.
        let withLibc = args.filter { $0 != "-nostdlib" }
        XCTAssertEqual(try runTool(cc, withLibc).status, 0)
        XCTAssertTrue(try replay(cc, withLibc).verdictOK)
    }
}

private func FileSystem_baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
