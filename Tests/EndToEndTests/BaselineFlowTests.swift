import Foundation
import TestSupport
import XCTest

/// Baselines end to end over modules built for real: one accepted failure, then fixed (relinked
/// with the arguments check prints; python3's ctypes loads it, so the problem is really gone)
/// leaves a stale entry; updates drop it; PATHs spelled differently keep their keys.
final class BaselineFlowTests: XCTestCase {

    func layout() throws -> (TempDir, String, String) {
        let tmp = try TempDir()
        let d = tmp.url.path
        for sub in ["build", "extra"] { try FileManager.default.createDirectory(atPath: "\(d)/\(sub)", withIntermediateDirectories: true) }
        _ = try NeedzModule.build(d + "/build")
        _ = try NeedzModule.build(d + "/extra", name: "_fine", extra: ["-lz", "-lm"])
        return (tmp, d, d + "/build/_needz.so")
    }

    func symscan(in dir: String, _ args: [String]) throws -> RunResult {
        try runTool("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", dir, Paths.symscan.path] + args)
    }

    func testStaleEntriesAreReportedAndUpdatesDropThem() throws {
        let (tmp, d, module) = try layout()
        defer { withExtendedLifetime(tmp) {} }
        let base = d + "/b.json"
        // Updating a baseline that does not exist yet creates it.
        let first = try symscan(in: d, ["check", "--baseline", "b.json", "--write-baseline", "b.json", "build", "extra"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        let recorded = try String(contentsOfFile: base, encoding: .utf8)
        XCTAssertTrue(recorded.contains("build/_needz.so"), recorded)
        let accepted = try symscan(in: d, ["check", "--baseline", "b.json", "build", "extra"])
        XCTAssertEqual(accepted.status, 0, accepted.stdout + accepted.stderr)
        XCTAssertTrue(accepted.stdout.contains("OK    build/_needz.so (1 accepted by the baseline)"), accepted.stdout)
        XCTAssertFalse(accepted.stdout.contains("STALE"), accepted.stdout)

        // Fix the module with the printed arguments; the loader agrees it is fixed.
        let failing = try symscan(in: d, ["check", "--format", "json", "build", "extra"])
        let diag = (try CheckFixtures.json(failing.stdout)["modules"] as? [[String: Any]])?.first { ($0["path"] as? String) == "build/_needz.so" }?["diagnosis"] as? [String: Any]
        let args = try XCTUnwrap(diag?["missingLinkArguments"] as? [String])
        try FileManager.default.removeItem(atPath: module)
        _ = try NeedzModule.build(d + "/build", extra: args)
        XCTAssertEqual(try NeedzModule.dlopen(module).status, 0)

        let stale = try symscan(in: d, ["check", "--baseline", "b.json", "build", "extra"])
        XCTAssertEqual(stale.status, 0, stale.stdout + stale.stderr)
        XCTAssertTrue(stale.stdout.contains("STALE baseline entry build/_needz.so: "), stale.stdout)
        XCTAssertTrue(stale.stdout.contains("1 stale baseline entry"), stale.stdout)
        let json = try symscan(in: d, ["check", "--format", "json", "--baseline", "b.json", "build", "extra"])
        SchemaCheck.assertValid(json.stdout, "check with a stale baseline")
        XCTAssertEqual((try CheckFixtures.json(json.stdout)["staleBaselineEntries"] as? [String])?.count, 1, json.stdout)
        let strict = try symscan(in: d, ["check", "--fail-on-stale", "--baseline", "b.json", "build", "extra"])
        XCTAssertEqual(strict.status, 1, strict.stdout + strict.stderr)

        // The update drops the stale entry; then nothing is stale.
        let update = try symscan(in: d, ["check", "--baseline", "b.json", "--write-baseline", "b.json", "build", "extra"])
        XCTAssertEqual(update.status, 0, update.stdout + update.stderr)
        XCTAssertTrue(update.stderr.contains("dropped a stale entry"), update.stderr)
        XCTAssertFalse(try String(contentsOfFile: base, encoding: .utf8).contains("_needz"))
        let clean = try symscan(in: d, ["check", "--fail-on-stale", "--baseline", "b.json", "build", "extra"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
    }

    func testPathSpellingsShareKeysAndAMismatchWarns() throws {
        let (tmp, d, _) = try layout()
        defer { withExtendedLifetime(tmp) {} }
        let w = try symscan(in: d, ["check", "--write-baseline", "b.json", "build", "extra"])
        XCTAssertEqual(w.status, 0, w.stdout + w.stderr)
        for spelling in [["./build", "extra/"], ["build/", "./extra//"], ["./build/", "extra"]] {
            let r = try symscan(in: d, ["check", "--baseline", "b.json"] + spelling)
            XCTAssertEqual(r.status, 0, "\(spelling): \(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.contains("accepted by the baseline"), r.stdout)
        }
        // Given from elsewhere, the keys differ: the baseline matches nothing, and says so.
        let other = try symscan(in: d + "/build", ["check", "--baseline", "../b.json", ".", "../extra"])
        XCTAssertEqual(other.status, 1, other.stdout + other.stderr)
        XCTAssertTrue(other.stderr.contains("warning: the baseline ../b.json matches no module of this run"), other.stderr)
    }

    func testOnlyFailuresAndProgressOnATerminal() throws {
        let (tmp, d, _) = try layout()
        defer { withExtendedLifetime(tmp) {} }
        let r = try symscan(in: d, ["check", "--only-failures", "build", "extra"])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("FAIL  build/_needz.so") ?? false, r.stdout)
        XCTAssertFalse(r.stdout.contains("OK "), r.stdout)
        XCTAssertTrue(lines.last?.hasPrefix("2 modules: 1 failed, 1 ok") ?? false, r.stdout)

        // script(1) gives symscan a terminal: the walk's count shows before any module is done.
        guard let script = which("script") else { throw XCTSkip("SKIPPED: no script(1) to run symscan on a terminal") }
        let t = try runTool(script, ["-qec", "'\(Paths.symscan.path)' check '\(d)/build' '\(d)/extra' 2>&1 >/dev/null", "/dev/null"])
        XCTAssertTrue(t.stdout.contains("symscan: walking: 1 files, 0 candidates"), t.stdout)
        let walk = try XCTUnwrap(t.stdout.range(of: "walking:")), done = try XCTUnwrap(t.stdout.range(of: "symscan: [1/2]"))
        XCTAssertLessThan(walk.lowerBound, done.lowerBound)
    }
}
