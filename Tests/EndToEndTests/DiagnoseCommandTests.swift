import Foundation
import TestSupport
import XCTest

/// `symscan diagnose` as a user runs it: exit codes, the text a person reads, the JSON contract.
final class DiagnoseCommandTests: XCTestCase {
    let example = Paths.testBinaries.appendingPathComponent("aix-example")

    func symscan(_ args: [String]) throws -> RunResult { try runSymscan(args) }

    func testBundledExampleFailsAndNamesTheFix() throws {
        let r = try symscan(["diagnose", example.appendingPathComponent("demo64.o").path,
                             "--pyo3-config", example.appendingPathComponent("pyo3-aix.cfg").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("FAIL: "), lines[0])
        XCTAssertTrue(lines[0].contains("0 of 31 references resolved, 31 unresolved"), lines[0])
        let lib64 = example.appendingPathComponent("lib64").resolvingSymlinksInPath().path
        XCTAssertTrue(lines.contains("  -L\(lib64) -lpython3.9"), r.stdout)
        // demo64.o is built from C: plain linker arguments, no cargo lines.
        XCTAssertFalse(r.stdout.contains("RUSTFLAGS") || r.stdout.contains("cargo:"), r.stdout)
        XCTAssertTrue(r.stdout.contains("31 exported by libpython3.9.a(libpython3.9.so): "))
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    func testGivenLibraryMakesItOK() throws {
        let r = try symscan(["diagnose", example.appendingPathComponent("demo64.o").path, "--no-python",
                             "-L", example.appendingPathComponent("lib64").path, "-l", "python3.9"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("OK: "))
        // Joined, as symscan prints them among the missing link arguments.
        let joined = try symscan(["diagnose", example.appendingPathComponent("demo64.o").path, "--no-python",
                                  "-L" + example.appendingPathComponent("lib64").path, "-lpython3.9"])
        XCTAssertEqual(joined.stdout, r.stdout, joined.stderr)
    }

    func testJSONContract() throws {
        let r = try symscan(["diagnose", "--format", "json", example.appendingPathComponent("demo64.o").path,
                             "--pyo3-config", example.appendingPathComponent("pyo3-aix.cfg").path])
        XCTAssertEqual(r.status, 1)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["schemaVersion"] as? Int, 1)
        XCTAssertEqual(root["platform"] as? String, "aix")
        XCTAssertEqual(root["verdict"] as? String, "fail")
        XCTAssertEqual((root["inputs"] as? [[String: Any]])?.first?["format"] as? String, "xcoff64")
        let unresolved = try XCTUnwrap(root["unresolved"] as? [[String: Any]])
        XCTAssertEqual(unresolved.count, 31)
        let printErr = try XCTUnwrap(unresolved.first { $0["name"] as? String == ".PyErr_SetString" })
        XCTAssertEqual(printErr["weak"] as? Bool, false)
        XCTAssertEqual(printErr["providers"] as? [String], ["libpython3.9.a(libpython3.9.so)"])
        let libs = try XCTUnwrap(root["libraries"] as? [[String: Any]])
        let libpython = try XCTUnwrap(libs.first { $0["name"] as? String == "libpython3.9.a(libpython3.9.so)" })
        XCTAssertEqual(libpython["linked"] as? Bool, false)
        XCTAssertEqual(libpython["provides"] as? Int, 31)
        XCTAssertEqual((root["missingLinkArguments"] as? [String])?.last, "-lpython3.9")
        let findings = try XCTUnwrap(root["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.first?["id"] as? String, "libpython-not-linked")
        XCTAssertEqual(findings.first?["severity"] as? String, "error")
    }

    func testUnusableInputExitsTwo() throws {
        let dir = try TempDir()
        let bad = try dir.write("bad.o", [0x01, 0xF7, 0, 0])
        let r = try symscan(["diagnose", bad])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("symscan: \(bad): truncated XCOFF64 file header"), r.stderr)
        XCTAssertEqual(try symscan(["diagnose"]).status, 2)
        XCTAssertEqual(try symscan(["diagnose", "--platform", "windows", bad]).status, 2)
    }

    /// An AIX archive cut after its members (TestBinaries/malformed/trunc-member-table.a: the
    /// member table and global symbol table are gone) is reported and not used: its names.o
    /// would resolve uses_names.o's reference, as the whole archive's does.
    func testArchiveCutAfterItsMembersIsReportedAndNotUsed() throws {
        let uses = Paths.testBinaries.appendingPathComponent("xcoff64/uses_names.o").path
        let cut = Paths.testBinaries.appendingPathComponent("malformed/trunc-member-table.a").path
        let whole = try symscan(["diagnose", "--no-python", uses, Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path])
        XCTAssertEqual(whole.stderr, "")
        XCTAssertFalse(whole.stdout.contains(".a_defined_function_with_long_name"), whole.stdout)
        let r = try symscan(["diagnose", "--no-python", uses, cut])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "symscan: \(cut): truncated AIX big archive member table header: needs 112 bytes, 105 left in the file (at byte offset 5050)\n")
        XCTAssertTrue(r.stdout.hasPrefix("FAIL: \(uses) (aix)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("no provider found: .a_defined_function_with_long_name"), r.stdout)
    }

    func testLinuxModuleOfThisPythonIsOK() throws {
        let out = try runTool(which("python3") ?? "/usr/bin/python3", ["-c", "import _json; print(_json.__file__)"])
        let module = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard out.status == 0, module.hasSuffix(".so") else { throw XCTSkip("SKIPPED: _json is built in here") }
        let r = try symscan(["diagnose", "--no-search", module])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("left to the interpreter"), r.stdout)
        let strict = try symscan(["diagnose", "--no-search", "--embedded", module])
        XCTAssertEqual(strict.status, 1, strict.stdout)
    }

    /// Shared objects given together are each a module: each must export its own PyInit_, and
    /// the verdict does not depend on their order.
    func testEachModuleExportsItsOwnInit() throws {
        guard let cc = which("cc") else { throw XCTSkip("SKIPPED: no cc") }
        let dir = try TempDir()
        let src = try dir.write("a.c", Array("void PyErr_Print(void); void *PyInit__a(void) { PyErr_Print(); return 0; }\n".utf8))
        let a = dir.url.appendingPathComponent("_a.so").path
        let built = try runTool(cc, ["-shared", "-fPIC", "-o", a, src])
        XCTAssertEqual(built.status, 0, built.stderr)
        let b = dir.url.appendingPathComponent("_b.so").path
        try FileManager.default.copyItem(atPath: a, toPath: b)
        let alone = try symscan(["diagnose", "--no-python", "--no-search", a])
        XCTAssertEqual(alone.status, 0, alone.stdout + alone.stderr)
        for order in [[a, b], [b, a]] {
            let r = try symscan(["diagnose", "--no-python", "--no-search"] + order)
            XCTAssertEqual(r.status, 1, r.stdout)
            // Each module has its own report (FAIL: its path … findings), then the summary.
            let block = r.stdout.components(separatedBy: "FAIL: \(b)").last ?? ""
            XCTAssertTrue(block.contains("the module _b does not export PyInit__b (it exports PyInit__a)"), r.stdout)
            XCTAssertTrue(r.stdout.contains("OK: \(a)"), r.stdout)
            XCTAssertTrue(r.stdout.contains("Summary: 2 modules, each diagnosed on its own: 1 OK, 1 FAIL"), r.stdout)
            XCTAssertFalse(r.stdout.contains("PyInit__a\n") || r.stdout.contains("module _a does not"), r.stdout)
        }
    }

    /// The verdict line counts every reference once, and its counts match the groups below.
    func testVerdictLineAddsUp() throws {
        let x = Paths.testBinaries.appendingPathComponent("xcoff64")
        let r = try symscan(["diagnose", "--no-python", "--no-search", x.appendingPathComponent("uses_names.o").path,
                             x.appendingPathComponent("libnames.a").path])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // `.weak_reference_maybe_missing` (called) and `weak_reference_maybe_missing` (address
        // taken) are reported, and counted, each in the form the AIX linker shows.
        XCTAssertTrue(lines[0].hasSuffix("(aix): 1 of 5 references resolved, 2 unresolved, 2 weak"), lines[0])
        XCTAssertTrue(lines.contains("Unresolved symbols (4):"), r.stdout)
        XCTAssertTrue(lines.contains("  2 weak, may stay unresolved: .weak_reference_maybe_missing, weak_reference_maybe_missing"), r.stdout)
    }
}
