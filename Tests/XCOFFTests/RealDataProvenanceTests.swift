import Foundation
import TestSupport
import XCTest

/// The real AIX corpus is copied into the repository: its MANIFEST names every file with its
/// size and SHA-256, so a file that was replaced, truncated or added without provenance fails.
final class RealDataProvenanceTests: XCTestCase {
    func testEveryCorpusFileMatchesItsManifestEntry() throws {
        let corpus = try Paths.real("xcoff-corpus")
        let manifest = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
        var listed: [String: (bytes: Int, sha256: String)] = [:]
        for row in manifest.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, let bytes = Int(cells[1]), cells[2].count == 66 else { continue }
            listed[String(cells[0].dropFirst().dropLast())] = (bytes, String(cells[2].dropFirst().dropLast()))
        }
        let files = Paths.files(in: corpus.appendingPathComponent("files"))
        XCTAssertEqual(Set(files.map(\.lastPathComponent)), Set(listed.keys), "files/ and the MANIFEST table list the same files")
        let sums = try runTool("/usr/bin/sha256sum", files.map(\.path))
        for line in sums.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            let name = URL(fileURLWithPath: String(parts[1].drop { $0 == " " || $0 == "*" })).lastPathComponent
            XCTAssertEqual(String(parts[0]), listed[name]?.sha256, name)
        }
        for f in files {
            let size = try FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int
            XCTAssertEqual(size, listed[f.lastPathComponent]?.bytes, f.lastPathComponent)
        }
    }
}
