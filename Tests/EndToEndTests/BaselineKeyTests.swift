import Foundation
import TestSupport
import XCTest

/// What a baseline keys each module by, end to end: no two modules may share a key (a problem
/// in one must not be accepted because another recorded it).
final class BaselineKeyTests: XCTestCase {
    typealias F = CheckFixtures

    func symscan(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try runSymscan(args, file: file, line: line)
    }

    func mkdir(_ url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Findings other than notes, per module key, from a `check --format json` report.
    func failing(_ r: RunResult) throws -> [String: [String]] {
        F.findings(try F.json(r.stdout)).mapValues { $0.filter { !$0.contains(" note ") } }
    }

    /// Two PATHs holding the same relative path: a1's copy fails (recorded), a2's is clean,
    /// then gets the same problem. Keyed by the relative path alone, both were `pkg/_bad.so`
    /// and a2's new problem was accepted through a1's entry.
    func testSeveralPathsKeepTheirModulesApart() throws {
        let dir = try TempDir()
        let a1 = dir.url.appendingPathComponent("a1").path, a2 = dir.url.appendingPathComponent("a2").path
        _ = try F.compileModule("_bad", undefined: ["symscan_key_problem"], in: try mkdir(URL(fileURLWithPath: a1 + "/pkg")))
        _ = try F.compileModule("_bad", undefined: [], in: try mkdir(URL(fileURLWithPath: a2 + "/pkg")))
        let baseline = dir.url.appendingPathComponent("b.json").path

        let write = try symscan(["check", "--no-search", "--write-baseline", baseline, a1, a2])
        XCTAssertEqual(write.status, 0, write.stdout + write.stderr)
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        XCTAssertEqual(SchemaCheck.assertValid(text, "baseline"), "baseline")
        XCTAssertTrue(text.contains("{\"path\": \"\(a1)/pkg/_bad.so\""), text)
        XCTAssertFalse(text.contains("\(a2)/"), "a2's copy was clean: nothing recorded for it\n\(text)")

        _ = try F.compileModule("_bad", undefined: ["symscan_key_problem"], in: URL(fileURLWithPath: a2 + "/pkg"))
        let r = try symscan(["check", "--no-search", "--format", "json", "--baseline", baseline, a1, a2])
        XCTAssertEqual(r.status, 1, "a2's new problem fails the gate\n" + r.stdout + r.stderr)
        let findings = try failing(r)
        XCTAssertEqual(findings["\(a1)/pkg/_bad.so"], [])
        XCTAssertEqual(findings["\(a2)/pkg/_bad.so"], ["unresolved-symbols error symscan_key_problem"])
        // A trailing slash names the same directory: the same keys.
        let slash = try symscan(["check", "--no-search", "--format", "json", "--baseline", baseline, a1 + "/", a2])
        XCTAssertEqual(try failing(slash), findings)

        // With one PATH the key is relative to it, as baselines written before keep expecting.
        let one = try symscan(["check", "--no-search", "--format", "json", a1])
        XCTAssertEqual(Array(try failing(one).keys), ["pkg/_bad.so"])
    }

    /// The same directory twice gives two modules one key: a baseline cannot tell them apart,
    /// so reading or writing one is refused (exit 2) rather than letting one module's entry
    /// accept the other's findings.
    func testModulesSharingAKeyAreRefusedWithABaseline() throws {
        let dir = try TempDir()
        let root = try mkdir(dir.url.appendingPathComponent("build/pkg")).deletingLastPathComponent().path
        _ = try F.compileModule("_bad", undefined: ["symscan_key_twice"], in: URL(fileURLWithPath: root + "/pkg"))
        let baseline = dir.url.appendingPathComponent("b.json").path

        let twice = try symscan(["check", "--no-search", "--write-baseline", baseline, root, root])
        XCTAssertEqual(twice.status, 2, twice.stdout + twice.stderr)
        XCTAssertTrue(twice.stderr.contains("\(root)/pkg/_bad.so: baseline key shared by 2 modules"), twice.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: baseline), "nothing written")
        // Without a baseline the key matters to nobody: the gate runs as usual.
        let plain = try symscan(["check", "--no-search", root, root])
        XCTAssertEqual(plain.status, 1, plain.stdout + plain.stderr)
        XCTAssertTrue(plain.stdout.contains("2 modules: 2 failed"), plain.stdout)
        // A directory and a module under it: one file, one key; refused with --baseline too.
        XCTAssertEqual(try symscan(["check", "--no-search", "--write-baseline", baseline, root]).status, 0)
        let overlap = try symscan(["check", "--no-search", "--baseline", baseline, root, root + "/pkg/_bad.so"])
        XCTAssertEqual(overlap.status, 2, overlap.stdout + overlap.stderr)
        XCTAssertTrue(overlap.stderr.contains("\(root)/pkg/_bad.so: baseline key shared by 2 modules"), overlap.stderr)
    }
}
