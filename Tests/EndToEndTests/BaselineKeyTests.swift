import Foundation
import TestSupport
import XCTest

/// What a baseline keys each module by, end to end: a module must keep its key from one run to
/// the next (a wheel's release does not make it new) and no two modules may share one (a
/// problem in one must not be accepted because another recorded it).
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

    /// The same directory twice, or two releases of one wheel side by side, give two modules
    /// one key: a baseline cannot tell them apart, so reading or writing one is refused (exit 2)
    /// rather than letting one module's entry accept the other's findings.
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

        let dist = try mkdir(dir.url.appendingPathComponent("dist"))
        let module = root + "/pkg/_bad.so"
        for v in ["1.0", "1.1"] {
            try F.makeWheel(dist.appendingPathComponent("pkg-\(v)-cp311-cp311-linux_x86_64.whl").path, members: [("pkg/_bad.so", module)])
        }
        let ok = try dir.write("ok.json", Array("{\"schemaVersion\": 2, \"kind\": \"symscan-baseline\", \"modules\": []}\n".utf8))
        let wheels = try symscan(["check", "--no-search", "--baseline", ok, dist.path])
        XCTAssertEqual(wheels.status, 2, wheels.stdout + wheels.stderr)
        XCTAssertTrue(wheels.stderr.contains("pkg-cp311-cp311-linux_x86_64.whl!pkg/_bad.so: baseline key shared by 2 modules: "
                                             + "\(dist.path)/pkg-1.0-cp311-cp311-linux_x86_64.whl!pkg/_bad.so, "
                                             + "\(dist.path)/pkg-1.1-cp311-cp311-linux_x86_64.whl!pkg/_bad.so"), wheels.stderr)
    }

    static let wheel10 = "mypkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    static let versionless = "mypkg-cp311-cp311-manylinux_2_17_x86_64.whl"

    /// `dist/` holding release 1.0 of a wheel whose module fails.
    func release10(_ dir: TempDir) throws -> (dist: URL, module: String) {
        let build = try mkdir(dir.url.appendingPathComponent("build"))
        let module = try F.compileModule("_x", undefined: ["symscan_wheel_old"], in: build)
        let dist = try mkdir(dir.url.appendingPathComponent("dist"))
        try F.makeWheel(dist.appendingPathComponent(Self.wheel10).path, members: [("mypkg/_x.so", module)])
        return (dist, module)
    }

    /// A baseline written for release 1.0 still holds for 1.1 (and a build-tagged rebuild): the
    /// wheel's version is not part of the key. Its platform is: another platform's wheel is new.
    func testAWheelsVersionIsNotPartOfItsKey() throws {
        let dir = try TempDir()
        let (dist, module) = try release10(dir)
        let baseline = dir.url.appendingPathComponent("base.json").path
        let write = try symscan(["check", "--no-search", "--write-baseline", baseline, dist.path])
        XCTAssertEqual(write.status, 0, write.stdout + write.stderr)
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        XCTAssertEqual(SchemaCheck.assertValid(text, "baseline"), "baseline")
        XCTAssertTrue(text.contains("\"schemaVersion\": 2,"), text)
        XCTAssertTrue(text.contains("{\"path\": \"\(Self.versionless)!mypkg/_x.so\""), text)

        for name in ["mypkg-1.1-cp311-cp311-manylinux_2_17_x86_64.whl", "mypkg-1.1-2-cp311-cp311-manylinux_2_17_x86_64.whl"] {
            let dist2 = try mkdir(dir.url.appendingPathComponent("next-\(name)"))
            let wheel = dist2.appendingPathComponent(name).path
            try FileManager.default.copyItem(atPath: dist.appendingPathComponent(Self.wheel10).path, toPath: wheel)
            let r = try symscan(["check", "--no-search", "--baseline", baseline, dist2.path])
            XCTAssertEqual(r.status, 0, "\(name)\n" + r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("accepted by the baseline"), r.stdout)
            // The wheel itself as the PATH: keyed the same.
            XCTAssertEqual(try symscan(["check", "--no-search", "--baseline", baseline, wheel]).status, 0, name)
        }

        let other = try mkdir(dir.url.appendingPathComponent("musl"))
        try F.makeWheel(other.appendingPathComponent("mypkg-1.1-cp311-cp311-musllinux_1_2_x86_64.whl").path, members: [("mypkg/_x.so", module)])
        let r = try symscan(["check", "--no-search", "--format", "json", "--baseline", baseline, other.path])
        XCTAssertEqual(r.status, 1, "another platform's wheel is another module\n" + r.stdout)
        XCTAssertEqual(try failing(r)["mypkg-cp311-cp311-musllinux_1_2_x86_64.whl!mypkg/_x.so"], ["unresolved-symbols error symscan_wheel_old"])
    }

    /// A baseline written before keys dropped wheel versions (schemaVersion 1) is still read,
    /// its wheel keys converted, so it keeps accepting what it recorded after the next release.
    /// It cannot serve several PATHs (its keys were relative to a PATH): refused, not misread.
    func testVersion1BaselinesStillMatch() throws {
        let dir = try TempDir()
        let (dist, _) = try release10(dir)
        let v1 = """
            {
              "schemaVersion": 1,
              "kind": "symscan-baseline",
              "modules": [
                {"path": "\(Self.wheel10)!mypkg/_x.so", "findings": [
                  {"id": "unresolved-symbols", "symbols": ["symscan_wheel_old"]}
                ]}
              ]
            }

            """
        XCTAssertEqual(SchemaCheck.assertValid(v1, "version 1 baseline"), "baseline")
        let baseline = try dir.write("v1.json", Array(v1.utf8))
        XCTAssertEqual(try symscan(["check", "--no-search", "--baseline", baseline, dist.path]).status, 0, "the same release")

        let dist2 = try mkdir(dir.url.appendingPathComponent("dist2"))
        try FileManager.default.copyItem(atPath: dist.appendingPathComponent(Self.wheel10).path,
                                         toPath: dist2.appendingPathComponent("mypkg-1.1-cp311-cp311-manylinux_2_17_x86_64.whl").path)
        let next = try symscan(["check", "--no-search", "--baseline", baseline, dist2.path])
        XCTAssertEqual(next.status, 0, "the next release\n" + next.stdout + next.stderr)

        let several = try symscan(["check", "--no-search", "--baseline", baseline, dist.path, dist2.path])
        XCTAssertEqual(several.status, 2, several.stdout + several.stderr)
        XCTAssertTrue(several.stderr.contains("schemaVersion 1"), several.stderr)
    }
}
