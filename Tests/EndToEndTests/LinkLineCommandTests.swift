import Foundation
import TestSupport
import XCTest

/// `symscan link-line` as a user calls it: the four ways to give the command, options before
/// or after it, help.
final class LinkLineCommandTests: XCTestCase {
    let bins = Paths.testBinaries
    var lib64: String { bins.appendingPathComponent("aix-example/lib64").path }
    var demo64: String { bins.appendingPathComponent("xcoff64/demo.o").path }

    /// The AIX link of the bundled object with libpython: it resolves.
    var words: [String] { ["ld", "-b64", "-bM:SRE", "-bnoentry", "-o", "_demo.so", demo64, "-L", lib64, "-lpython3.9"] }

    func testWordsAfterDoubleDash() throws {
        let r = try runSymscan(["link-line", "--no-python", "--"] + words)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("link: ld → _demo.so (1 inputs, 1 -l)\nOK: "), r.stdout)
    }

    func testOneArgumentFileAndStdinAgree() throws {
        let dir = try TempDir()
        let line = words.joined(separator: " ")
        let file = try dir.write("link.txt", Array((line + "\n").utf8))
        let asText = try runSymscan(["link-line", "--no-python", line])
        let asFile = try runSymscan(["link-line", "--no-python", "@" + file])
        let fromStdin = try runTool(Paths.symscan.path, ["link-line", "--no-python"], stdin: Data(line.utf8))
        XCTAssertEqual(asText.status, 0, asText.stderr)
        XCTAssertEqual(asFile.stdout, asText.stdout)
        XCTAssertEqual(fromStdin.stdout, asText.stdout)
    }

    /// Options may follow the command text, as with every other subcommand.
    func testOptionsAfterTheText() throws {
        let dir = try TempDir()
        let file = try dir.write("link.txt", Array(words.joined(separator: " ").utf8))
        let r = try runSymscan(["link-line", "@" + file, "--no-python", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["verdict"] as? String, "ok")
        XCTAssertEqual(root["platform"] as? String, "aix")
    }

    func testHelp() throws {
        for flag in ["--help", "-h"] {
            let r = try runSymscan(["link-line", flag])
            XCTAssertEqual(r.status, 0, flag)
            XCTAssertTrue(r.stdout.hasPrefix("OVERVIEW: Replay a failed link"), flag + ": " + r.stdout + r.stderr)
        }
    }

    func testTextAndWordsTogetherIsAUsageError() throws {
        let r = try runSymscan(["link-line", "cc -shared x.o", "--", "cc", "-shared", "x.o"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("either as text or as words after --"), r.stderr)
    }

    /// IBM ld's errors alone: an AIX link, said so in the first line; no PyInit_ guess.
    func testErrorLinesAlone() throws {
        let text = "ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print\nld: 0711-317 ERROR: Undefined symbol: .PyLong_FromLong\n"
        let r = try runTool(Paths.symscan.path, ["link-line", "--no-python", "-"], stdin: Data(text.utf8))
        XCTAssertEqual(r.status, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "link: no command line in the text; the 2 undefined symbols of the linker's error lines")
        XCTAssertTrue(lines.dropFirst().first?.contains("(aix)") ?? false, r.stdout)
        XCTAssertFalse(r.stdout.contains("missing-pyinit"), r.stdout)
    }
}
