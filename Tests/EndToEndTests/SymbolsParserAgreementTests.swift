import ArgumentParser
import Listing
@testable import symscan
import XCTest

/// `symbols` has two parsers: the fast one in Listing (for start-up) and ArgumentParser's,
/// which every other call takes. For every argument list the fast one accepts, both must make
/// the same request; what it refuses must be what ArgumentParser handles (help, errors).
final class SymbolsParserAgreementTests: XCTestCase {
    static let accepted: [[String]] = [
        ["a.o"], ["a.o", "b.so"], ["-u", "a.o"], ["-g", "a.o"], ["-D", "a.o"], ["-uD", "a.o"], ["-ugD", "a.o"],
        ["--undefined-only", "a.o"], ["--defined-only", "a.o"], ["--extern-only", "--dynamic", "a.o"],
        ["--no-demangle", "a.o"], ["--format", "json", "a.o"], ["--format=json", "a.o"], ["--format=text", "a.o"],
        ["-j", "3", "a.o"], ["--jobs", "2", "a.o"], ["--jobs=4", "a.o"], ["--", "-u"], ["a.o", "--", "--format"],
        ["-", "a.o"], ["a.o", "-u", "b.o"],
    ]

    static let refused: [[String]] = [
        [], ["-u"], ["--help"], ["-h"], ["--version"], ["--bogus", "a.o"], ["-x", "a.o"], ["--format", "xml", "a.o"],
        ["--format"], ["-j", "0", "a.o"], ["--jobs=-1", "a.o"], ["-u", "--defined-only", "a.o"], ["-u=1", "a.o"],
        ["--undefined-only=yes", "a.o"],
    ]

    func testTheFastParserMakesArgumentParsersRequest() throws {
        for args in Self.accepted {
            let fast = try XCTUnwrap(SymbolsRequest(parsing: args), "fast parser refused \(args)")
            let full = try SymbolsCommand.parse(args)
            XCTAssertEqual(fast, full.request, "\(args)")
        }
    }

    func testWhatTheFastParserRefusesArgumentParserRefusesOrAnswersItself() {
        for args in Self.refused {
            XCTAssertNil(SymbolsRequest(parsing: args), "\(args)")
            XCTAssertThrowsError(try SymbolsCommand.parse(args), "\(args): ArgumentParser must answer (help, version or an error)")
        }
    }
}
