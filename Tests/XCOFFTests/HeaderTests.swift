import Foundation
import MappedFile
import TestSupport
import XCOFF
import XCTest

/// File, auxiliary and section headers against `llvm-objdump --private-headers` (LLVM 21),
/// whose dumps of the real corpus are stored beside it.
final class HeaderTests: XCTestCase {
    func testHeadersMatchObjdumpPrivateHeaders() throws {
        let dir = try Paths.real("xcoff-corpus")
        var checked = 0
        for url in Paths.files(in: dir.appendingPathComponent("files")) {
            let oracleURL = dir.appendingPathComponent("oracle/\(url.lastPathComponent).private-headers.txt")
            guard let oracle = try? String(contentsOf: oracleURL, encoding: .utf8) else { continue }
            let file = try XCOFFFile(try MappedFile(path: url.path).region)
            let fields = Self.fields(oracle)
            let name = url.lastPathComponent
            XCTAssertEqual(fields["Magic"], "0x" + String(file.header.magic, radix: 16), name)
            XCTAssertEqual(fields["NumberOfSections"], String(file.header.sectionCount), name)
            XCTAssertEqual(fields["SymbolTableEntries"], String(file.header.symbolCount), name)
            XCTAssertEqual(fields["SymbolTableOffset"], "0x" + String(file.header.symbolTableOffset, radix: 16), name)
            XCTAssertEqual(fields["Flags"], "0x" + String(file.header.flags, radix: 16), name)
            if let aux = file.auxiliaryHeader, let toc = aux.tocAnchor {
                XCTAssertEqual(fields["TOC anchor address"], "0x" + String(toc, radix: 16), name)
                XCTAssertEqual(fields["Section number of loader data"], String(aux.loaderSection), name)
                if let entry = aux.entryPoint, file.is64 {
                    XCTAssertEqual(fields["Entry point address"], "0x" + String(entry, radix: 16), name)
                }
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 13)
    }

    /// "Key:   value" lines of the dump (first occurrence wins).
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if out[key] == nil { out[key] = value.split(separator: " ").first.map(String.init) ?? "" }
        }
        return out
    }
}
