import Foundation
import Linkage
import Reports
import TestSupport
import XCTest

/// `FindingID` is the one definition of every finding: the README's table, the schema's
/// enumeration and SARIF's rules must say the same, and no source file may spell an id again.
final class FindingCatalogueTests: XCTestCase {
    func testTheREADMETableListsEveryFindingInCatalogueOrder() throws {
        let readme = try String(contentsOf: Paths.repo.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "\n## Findings\n"), "README has a Findings section")
        let rows = readme[section.upperBound...].split(separator: "\n").drop { !$0.hasPrefix("| `") }
            .prefix { $0.hasPrefix("| `") }
        let table = rows.map { row in row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        let expected = FindingID.allCases.map { "| `\($0.rawValue)` | \($0.defaultSeverity.rawValue) | \($0.summary) | \($0.help) |" }
        XCTAssertEqual(table.map { $0[0] }, FindingID.allCases.map { "`\($0.rawValue)`" },
                       "run scripts/generate-findings; expected rows:\n" + expected.joined(separator: "\n"))
        for (cells, id) in zip(table, FindingID.allCases) {
            XCTAssertEqual(cells[1], id.defaultSeverity.rawValue, id.rawValue)
            XCTAssertEqual(cells[2], id.summary, id.rawValue)
            XCTAssertEqual(cells[3], id.help, id.rawValue)
        }
    }

    func testTheSchemaEnumeratesExactlyTheCatalogue() throws {
        let data = try Data(contentsOf: Paths.repo.appendingPathComponent("schema/symscan.schema.json"))
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definitions = try XCTUnwrap(schema["definitions"] as? [String: Any])
        let findingId = try XCTUnwrap(definitions["findingId"] as? [String: Any])
        XCTAssertEqual(findingId["enum"] as? [String], FindingID.allCases.map(\.rawValue))
    }

    func testSARIFRulesAreTheCatalogueWithHelp() throws {
        let out = OutputBuffer(collecting: 1 << 12)
        SARIFReport.render(GateReport(command: "check", failOn: .error, modules: []), version: "0", to: out)
        let text = String(decoding: out.collected, as: UTF8.self)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, FindingID.allCases.map(\.rawValue))
        for (rule, id) in zip(rules, FindingID.allCases) {
            XCTAssertEqual((rule["help"] as? [String: Any])?["text"] as? String, id.help)
            XCTAssertEqual((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String, id.defaultSeverity.rawValue)
        }
    }

    /// An id is written once, in FindingID.swift: any other quoted occurrence in Sources/ would
    /// be a second definition that can drift from it.
    func testNoSourceFileSpellsAFindingIdAgain() throws {
        let sources = Paths.repo.appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path))
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") && !$0.hasSuffix("FindingID.swift") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for id in FindingID.allCases {
                XCTAssertFalse(text.contains("\"\(id.rawValue)\""), "\(file) spells \"\(id.rawValue)\"; use FindingID.\(id)")
            }
        }
    }
}
