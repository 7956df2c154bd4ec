import Foundation
import Linkage
import TestSupport
import XCTest

/// glibc's loader is the oracle for symbol versions: each case builds a library with a version
/// script, links a module against one build of it and loads it (`ctypes.CDLL`) against another.
/// symscan's verdict must equal the loader's, and its finding must name what the loader names.
final class SymbolVersionOracleTests: XCTestCase {
    struct Loaded { var ok: Bool; var message: String }

    /// Builds `libv.so` from `source` with `script` (no script: unversioned) into `dir`.
    static func library(_ dir: URL, _ source: String, script: String?) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let c = dir.appendingPathComponent("lib.c").path
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        var args = ["-shared", "-fPIC", "-o", dir.appendingPathComponent("libv.so").path, "-Wl,-soname,libv.so", c]
        if let script {
            let map = dir.appendingPathComponent("v.map").path
            try script.write(toFile: map, atomically: true, encoding: .utf8)
            args.append("-Wl,--version-script=\(map)")
        }
        let r = try runTool(try compiler(), args)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    static func compiler() throws -> String {
        guard let cc = which("gcc") ?? which("cc") else { throw XCTSkip("SKIPPED: no C compiler") }
        return cc
    }

    /// Links `m.so` (calling foo and bar) against `linkDir`'s libv.so, with a run path to `runDir`.
    static func module(_ tmp: URL, linkDir: URL, runDir: URL) throws -> String {
        let c = tmp.appendingPathComponent("m.c").path
        try "int foo(void); int bar(void);\nint use(void) { return foo() + bar(); }\n".write(toFile: c, atomically: true, encoding: .utf8)
        let out = tmp.appendingPathComponent("m.so").path
        let r = try runTool(try compiler(), ["-shared", "-fPIC", "-o", out, c, "-L\(linkDir.path)", "-lv", "-Wl,-rpath,\(runDir.path)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    /// What glibc's loader says, in the mode Python imports with (RTLD_NOW).
    static func load(_ path: String) throws -> Loaded {
        guard let py = which("python3") else { throw XCTSkip("SKIPPED: no python3 for ctypes") }
        let r = try runTool(py, ["-c", "import ctypes, os, sys\ntry:\n ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW)\nexcept OSError as e:\n print(e); sys.exit(1)", path])
        return Loaded(ok: r.status == 0, message: r.stdout + r.stderr)
    }

    static func diagnose(_ path: String) throws -> Diagnosis {
        var o = DiagnoseOptions(inputs: [path])
        o.python = .none
        o.searchLibraryDirectories = false
        o.environment = [:]
        return try XCTUnwrap(Diagnoser.run(o).diagnosis)
    }

    /// Loads and diagnoses, checks the verdicts agree, and checks the loader's named version or
    /// symbol is the one symscan names.
    func compare(linkedWith built: (String, String?), loadedWith installed: (String, String?),
                 file: StaticString = #filePath, line: UInt = #line) throws -> (Loaded, Diagnosis) {
        let tmp = try TempDir()
        let linkDir = tmp.url.appendingPathComponent("link"), runDir = tmp.url.appendingPathComponent("run")
        try Self.library(linkDir, built.0, script: built.1)
        try Self.library(runDir, installed.0, script: installed.1)
        let m = try Self.module(tmp.url, linkDir: linkDir, runDir: runDir)
        let loaded = try Self.load(m)
        let d = try Self.diagnose(m)
        XCTAssertEqual(d.verdictOK, loaded.ok, "loader: \(loaded.message); symscan: \(d.findings)", file: file, line: line)
        if let r = loaded.message.range(of: #"version `([^']+)' not found"#, options: .regularExpression) {
            let version = loaded.message[r].dropFirst("version `".count).prefix { $0 != "'" }
            let f = d.findings.first { $0.id == .versionNotFound }
            XCTAssertTrue(f?.message.contains("version \(version) of libv.so") ?? false, "\(d.findings)", file: file, line: line)
        }
        if let r = loaded.message.range(of: #"undefined symbol: [A-Za-z_0-9]+(, version [A-Za-z_0-9.]+)?"#, options: .regularExpression) {
            let parts = loaded.message[r].dropFirst("undefined symbol: ".count).components(separatedBy: ", version ")
            let u = d.unresolved.first { $0.name == parts[0] && !$0.weak }
            XCTAssertNotNil(u, "\(parts[0]) not unresolved: \(d.unresolved.map(\.name))", file: file, line: line)
            XCTAssertEqual(u?.version, parts.count > 1 ? parts[1] : nil, file: file, line: line)
            XCTAssertTrue(d.findings.contains { $0.id == .unresolvedSymbols && $0.symbols.contains(parts[0]) }, "\(d.findings)", file: file, line: line)
        }
        return (loaded, d)
    }

    static let both = "int foo(void){return 1;}\nint bar(void){return 2;}\n"
    static let three = both + "int baz(void){return 3;}\n"

    func testNeededVersionMissingFromLibrary() throws {
        let (loaded, d) = try compare(linkedWith: (Self.three, "V1 { global: foo; local: *; };\nV2 { global: bar; baz; } V1;\n"),
                                      loadedWith: (Self.both, "V1 { global: foo; bar; local: *; };\n"))
        XCTAssertTrue(loaded.message.contains("version `V2' not found"), loaded.message)
        let f = try XCTUnwrap(d.findings.first { $0.id == .versionNotFound })
        XCTAssertEqual(f.symbols, ["bar@V2"])
        // The symbol that needs the missing version is explained once, by that finding.
        XCTAssertFalse(d.findings.contains { $0.id == .unresolvedSymbols })
    }

    /// The JSON report carries the version of an unresolved reference (validated against the
    /// schema by runSymscan) and the text shows name@version.
    func testReportsShowTheVersion() throws {
        let tmp = try TempDir()
        let linkDir = tmp.url.appendingPathComponent("link"), runDir = tmp.url.appendingPathComponent("run")
        try Self.library(linkDir, Self.three, script: "V1 { global: foo; local: *; };\nV2 { global: bar; baz; } V1;\n")
        try Self.library(runDir, Self.three, script: "V1 { global: foo; bar; local: *; };\nV2 { global: baz; } V1;\n")
        let m = try Self.module(tmp.url, linkDir: linkDir, runDir: runDir)
        let json = try runSymscan(["diagnose", "--no-python", "--no-search", "--format", "json", m])
        XCTAssertEqual(json.status, 1, json.stderr)
        XCTAssertTrue(json.stdout.contains(#""name":"bar","version":"V2""#), json.stdout)
        let text = try runSymscan(["diagnose", "--no-python", "--no-search", m])
        XCTAssertTrue(text.stdout.contains("bar@V2"), text.stdout)
    }

    /// GNU ld is the oracle for links: an object's versioned reference (`.symver`, `bar@V2`)
    /// links only against a library that defines bar's V2.
    func testObjectReferenceToVersionAgreesWithGNULd() throws {
        let tmp = try TempDir()
        let c = tmp.url.appendingPathComponent("ref.c").path
        try "__asm__(\".symver bar_v2, bar@V2\");\nint bar_v2(void);\nint use(void){return bar_v2();}\n"
            .write(toFile: c, atomically: true, encoding: .utf8)
        let o = tmp.url.appendingPathComponent("ref.o").path
        XCTAssertEqual(try runTool(try Self.compiler(), ["-c", "-fPIC", c, "-o", o]).status, 0)
        for (name, script) in [("has-v2", "V1 { global: foo; local: *; };\nV2 { global: bar; baz; } V1;\n"),
                               ("lacks-v2", "V1 { global: foo; bar; local: *; };\n")] {
            let dir = tmp.url.appendingPathComponent(name)
            try Self.library(dir, Self.three, script: script)
            let ld = try runTool(try Self.compiler(), ["-shared", "-Wl,-z,defs", "-o", tmp.url.appendingPathComponent("out.so").path,
                                                     o, "-L\(dir.path)", "-lv"])
            var opts = DiagnoseOptions(inputs: [o])
            opts.libraryDirectories = [dir.path]
            opts.libraries = ["v", "c"]
            opts.linkRule = .strict
            opts.python = .none
            opts.searchLibraryDirectories = false
            let d = try XCTUnwrap(Diagnoser.run(opts).diagnosis)
            XCTAssertEqual(d.verdictOK, ld.status == 0, "\(name): ld \(ld.stderr); symscan \(d.findings)")
            if ld.stderr.contains("undefined reference to `bar@V2'") {
                XCTAssertTrue(d.unresolved.contains { $0.name == "bar" && $0.version == "V2" }, "\(d.unresolved.map(\.name))")
            }
        }
    }

    func testSymbolMovedToAnotherVersion() throws {
        // V2 still exists, but bar is back in V1: "undefined symbol: bar, version V2".
        let (loaded, d) = try compare(linkedWith: (Self.three, "V1 { global: foo; local: *; };\nV2 { global: bar; baz; } V1;\n"),
                                      loadedWith: (Self.three, "V1 { global: foo; bar; local: *; };\nV2 { global: baz; } V1;\n"))
        XCTAssertTrue(loaded.message.contains("undefined symbol: bar, version V2"), loaded.message)
        XCTAssertFalse(d.findings.contains { $0.id == .versionNotFound })
    }

    func testUnversionedReferenceAndHiddenDefinitions() throws {
        // bar only as a hidden (non-default) bar@V2, V2 not the oldest version: the loader does
        // not bind an unversioned reference to it.
        let hidden = "int foo(void){return 1;}\nint bar_old(void){return 2;}\n__asm__(\".symver bar_old,bar@V2\");\n"
        let (loaded, _) = try compare(linkedWith: (Self.both, nil),
                                      loadedWith: (hidden, "V1 { global: foo; local: *; };\nV2 { global: bar_old; } V1;\n"))
        XCTAssertTrue(loaded.message.contains("undefined symbol: bar"), loaded.message)
        // The oldest version (index 2) is the exception: an old unversioned reference binds to it.
        let oldest = "int foo(void){return 1;}\nint bar_old(void){return 2;}\n__asm__(\".symver bar_old,bar@V1\");\nint bar_new(void){return 3;}\n__asm__(\".symver bar_new,bar@@V2\");\n"
        let (loaded2, _) = try compare(linkedWith: (Self.both, nil),
                                       loadedWith: (oldest, "V1 { global: foo; bar_old; local: *; };\nV2 { global: bar_new; } V1;\n"))
        XCTAssertTrue(loaded2.ok, loaded2.message)
    }

    func testMatchingLibraryLoads() throws {
        let script = "V1 { global: foo; local: *; };\nV2 { global: bar; baz; } V1;\n"
        let (loaded, d) = try compare(linkedWith: (Self.three, script), loadedWith: (Self.three, script))
        XCTAssertTrue(loaded.ok, loaded.message)
        XCTAssertTrue(d.verdictOK)
    }

    /// This machine's libc: every extension module of the Python installation loads, and
    /// symscan finds every version its modules need from libc defined.
    func testSystemModulesNeedNoMissingVersion() throws {
        for path in try ELFLoaderOracleTests.pythonModules().prefix(40) {
            let d = try Self.diagnose(path)
            XCTAssertFalse(d.findings.contains { $0.id == .versionNotFound }, "\(path): \(d.findings)")
        }
    }
}
