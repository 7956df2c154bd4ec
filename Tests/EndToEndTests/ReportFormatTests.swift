import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

/// The CI report formats of `check` and `diagnose`: SARIF 2.1.0, JUnit XML, GitHub workflow
/// commands, and `--output` written atomically.
final class ReportFormatTests: XCTestCase {
    typealias F = CheckFixtures

    func symscan(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try runSymscan(args, file: file, line: line)
    }

    /// demo64.o fails; two clean Linux modules pass.
    func mixedSet() throws -> [String] {
        [F.demo64] + Array(try F.cleanModules().prefix(2)) + ["--pyo3-config", F.pyo3Config, "--no-search"]
    }

    func testSARIFStructure() throws {
        let r = try symscan(["check", "--format", "sarif"] + mixedSet())
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(SchemaCheck.assertValid(r.stdout, "sarif"), "sarif")
        let log = try F.json(r.stdout)
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertEqual(log["$schema"] as? String, "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let driver = try XCTUnwrap((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "symscan")
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let ruleIds = rules.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ruleIds).count, ruleIds.count, "rule ids are unique")
        XCTAssertEqual(ruleIds.first, "unresolved-symbols", "stable order")
        let results = try XCTUnwrap(runs[0]["results"] as? [[String: Any]])
        let json = try F.json(try symscan(["check", "--format", "json"] + mixedSet()).stdout)
        // One result per finding at warning or above; notes (expected behaviour) only when asked.
        let findings = (json["modules"] as? [[String: Any]] ?? []).flatMap {
            (($0["diagnosis"] as? [String: Any])?["findings"] as? [[String: Any]] ?? [])
        }
        XCTAssertEqual(results.count, findings.filter { ($0["severity"] as? String) != "note" }.count, "one result per finding")
        let all = try symscan(["check", "--format", "sarif", "--annotate", "notes"] + mixedSet())
        let allResults = ((try F.json(all.stdout)["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
        XCTAssertEqual(allResults.count, findings.count, "--annotate notes: one result per finding")
        for result in results {
            let id = try XCTUnwrap(result["ruleId"] as? String)
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(ruleIds[index], id)
            XCTAssertNotNil((result["message"] as? [String: Any])?["text"] as? String)
            XCTAssertTrue(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
            let uri = ((((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String)
            XCTAssertNotNil(uri)
        }
        let error = try XCTUnwrap(results.first { $0["ruleId"] as? String == "libpython-not-linked" })
        XCTAssertEqual(error["level"] as? String, "error")
        let uri = ((((error["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String)
        XCTAssertEqual(uri, "file://" + F.demo64)
        XCTAssertEqual((error["properties"] as? [String: Any])?["symbols"].map { ($0 as? [String])?.count }, 31)

        // Relative paths stay relative (code scanning resolves them against the checkout).
        let rel = try runTool("/bin/sh", ["-c", "cd '\(F.example.path)' && '\(Paths.symscan.path)' diagnose --format sarif demo64.o --pyo3-config pyo3-aix.cfg"])
        XCTAssertEqual(SchemaCheck.assertValid(rel.stdout, "diagnose sarif"), "sarif")
        XCTAssertTrue(rel.stdout.contains("\"artifactLocation\":{\"uri\":\"demo64.o\"}"), rel.stdout)
    }

    /// Test cases and their failures, read with Foundation's XMLParser.
    final class JUnitReader: NSObject, XMLParserDelegate {
        var suites: [[String: String]] = []
        var testcases: [String] = []
        var failures: [String: String] = [:]
        var errors: [String] = []
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch name {
            case "testsuites", "testsuite": suites.append(attributes)
            case "testcase": current = attributes["name"] ?? ""; testcases.append(current)
            case "failure": failures[current] = attributes["type"]
            case "error": errors.append(current)
            default: break
            }
        }
    }

    func parseJUnit(_ xml: String) throws -> JUnitReader {
        let reader = JUnitReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "JUnit XML does not parse: \(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        return reader
    }

    func testJUnitCounts() throws {
        let set = try mixedSet()
        let r = try symscan(["check", "--format", "junit"] + set)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        let j = try parseJUnit(r.stdout)
        XCTAssertEqual(j.testcases.count, 3, "one test case per module")
        XCTAssertEqual(j.testcases.first, F.demo64)
        XCTAssertEqual(j.failures, [F.demo64: "libpython-not-linked"])
        XCTAssertEqual(j.errors, [])
        XCTAssertEqual(j.suites.first?["tests"], "3")
        XCTAssertEqual(j.suites.first?["failures"], "1")
        XCTAssertEqual(j.suites.last?["errors"], "0")

        // Allowed away: no failures.
        let allowed = try parseJUnit(try symscan(["check", "--format", "junit", "--allow", "*"] + set).stdout)
        XCTAssertEqual(allowed.failures.count, 0)

        // An unusable module is an <error>.
        let dir = try TempDir()
        let bad = try dir.write("_bad.so", Array("\u{7F}ELF garbage".utf8))
        let e = try symscan(["check", "--format", "junit", bad] + set)
        XCTAssertEqual(e.status, 2)
        let je = try parseJUnit(e.stdout)
        XCTAssertEqual(je.errors, [bad])
        XCTAssertEqual(je.suites.first?["errors"], "1")

        // diagnose: one test case.
        let d = try parseJUnit(try symscan(["diagnose", "--format", "junit", F.demo64, "--pyo3-config", F.pyo3Config]).stdout)
        XCTAssertEqual(d.testcases, [F.demo64])
        XCTAssertEqual(d.failures.count, 1)
        let ok = try parseJUnit(try symscan(["diagnose", "--format", "junit", "--no-search", try F.cleanModules()[0]]).stdout)
        XCTAssertEqual(ok.testcases.count, 1)
        XCTAssertEqual(ok.failures.count, 0)
    }

    func testGitHubWorkflowCommands() throws {
        let r = try symscan(["check", "--format", "github"] + mixedSet())
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.hasPrefix("::error ") }
        XCTAssertEqual(errors.count, 1, r.stdout)
        XCTAssertTrue(errors[0].hasPrefix("::error file=\(F.demo64),title=symscan%3A libpython-not-linked::"), errors[0])
        XCTAssertFalse(lines.contains { $0.hasPrefix("::notice") }, "notes are annotated only when asked: \(r.stdout)")
        let notes = try symscan(["check", "--format", "github", "--annotate", "notes"] + mixedSet())
        XCTAssertTrue(notes.stdout.split(separator: "\n").contains { $0.hasPrefix("::notice file=") && $0.contains("python-api-from-interpreter") }, notes.stdout)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("::") || $0.hasPrefix("symscan check: ") }, r.stdout)
        XCTAssertEqual(lines.last, "symscan check: 3 modules: 1 failed, 2 ok (fail on error)")
        let warn = try symscan(["diagnose", "--format", "github", F.demo64, "--no-python", "--lib", F.example.appendingPathComponent("python.exp").path])
        XCTAssertTrue(warn.stdout.contains("::warning file=\(F.demo64),title=symscan%3A imports-from-main-program::"), warn.stdout)
    }

    func testOutputIsWrittenAtomically() throws {
        let dir = try TempDir()
        let out = dir.url.appendingPathComponent("report.sarif").path
        try "old report".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try symscan(["check", "--format", "sarif", "--output", out] + mixedSet())
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "", "the report goes to the file")
        XCTAssertTrue(r.stderr.contains("symscan: wrote sarif report to \(out): 3 modules: 1 failed, 2 ok"), r.stderr)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(SchemaCheck.assertValid(text, "--output sarif"), "sarif")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        XCTAssertEqual(leftovers, ["report.sarif"], "no temporary file is left behind")
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o044, 0o044, "readable like any other file the user creates")

        // Every format through --output; JSON ones validate.
        for format in ["text", "json", "junit", "github"] {
            let path = dir.url.appendingPathComponent("r.\(format)").path
            let q = try symscan(["check", "--quiet", "--format", format, "--output", path] + mixedSet())
            XCTAssertEqual(q.status, 1)
            XCTAssertFalse(q.stderr.contains("wrote"), "--quiet")
            let content = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertFalse(content.contains("\u{1B}["), "no colour in files")
            if format == "json" { XCTAssertEqual(SchemaCheck.assertValid(content, "--output json"), "check") }
        }
        let d = dir.url.appendingPathComponent("diagnose.json").path
        XCTAssertEqual(try symscan(["diagnose", "--format", "json", "--output", d, F.demo64, "--pyo3-config", F.pyo3Config]).status, 1)
        XCTAssertEqual(SchemaCheck.assertValid(try String(contentsOfFile: d, encoding: .utf8), "diagnose --output"), "diagnose")

        // A directory that does not exist: exit 2, nothing written, the old file untouched.
        let missing = dir.url.appendingPathComponent("no/such/dir/report.sarif").path
        let m = try symscan(["check", "--format", "sarif", "--output", missing] + mixedSet())
        XCTAssertEqual(m.status, 2)
        XCTAssertTrue(m.stderr.contains("cannot create a file in"), m.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }

    func testDiagnoseSARIFAndJSONAgree() throws {
        let args = [F.demo64, "--pyo3-config", F.pyo3Config]
        let json = try F.json(try symscan(["diagnose", "--format", "json"] + args).stdout)
        let sarif = try F.json(try symscan(["diagnose", "--format", "sarif"] + args).stdout)
        let findings = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        let results = (((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []).compactMap { $0["ruleId"] as? String }
        XCTAssertEqual(findings, results)
        XCTAssertFalse(findings.isEmpty)
    }
}
