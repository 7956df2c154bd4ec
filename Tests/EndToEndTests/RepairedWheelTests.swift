import Foundation
import TestSupport
import XCTest

/// `check` on a wheel as auditwheel repair leaves it: the module's DT_NEEDED is in the wheel's
/// `gatepkg.libs/`, reached through `$ORIGIN/../gatepkg.libs`. The oracles: `auditwheel show`
/// on the wheel, and importing the module from the unpacked wheel with python3.
final class RepairedWheelTests: XCTestCase {
    nonisolated(unsafe) static var shared: RepairedWheelFixture?
    nonisolated(unsafe) static var skipped: XCTSkip?

    func fixture() throws -> RepairedWheelFixture {
        if let f = Self.shared { return f }
        if let s = Self.skipped { throw s }
        do {
            let f = try RepairedWheelFixture()
            Self.shared = f
            return f
        } catch let s as XCTSkip {
            Self.skipped = s
            throw s
        }
    }

    func testRepairedWheelPassesAndItsBundledLibraryIsAProvider() throws {
        let f = try fixture()
        // The oracles: auditwheel finds nothing external, and the unpacked wheel imports.
        let show = try f.auditwheelShow(f.repaired)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("requires no external shared libraries"), show.stdout)
        let imported = try f.importResult(try f.unpack(f.repaired))
        XCTAssertEqual(imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "42", imported.stderr)

        let r = try runSymscan(["check", "--format", "json", f.repaired])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let j = try CheckFixtures.json(r.stdout)
        XCTAssertEqual(j["verdict"] as? String, "ok")
        let modules = try XCTUnwrap(j["modules"] as? [[String: Any]])
        // The bundled library is a provider, not a module.
        XCTAssertEqual(modules.count, 1, "\(modules.map { $0["path"] ?? "" })")
        let bundled = try XCTUnwrap(j["bundledLibraries"] as? [String])
        XCTAssertEqual(bundled.count, 1)
        XCTAssertTrue(bundled[0].hasPrefix(f.repaired + "!gatepkg.libs/libgatehelper-"), bundled[0])
        let libs = (modules[0]["diagnosis"] as? [String: Any])?["libraries"] as? [[String: Any]] ?? []
        let used = libs.first { ($0["path"] as? String) == bundled[0] }
        XCTAssertEqual(used?["provides"] as? Int, 1, "gate_helper comes from the bundled copy: \(libs)")

        let text = try runSymscan(["check", f.repaired])
        XCTAssertTrue(text.stdout.contains("LIB"), text.stdout)
        XCTAssertTrue(text.stdout.contains(bundled[0]), text.stdout)
    }

    func testUnpackedRepairedWheelPassesLikeTheWheel() throws {
        let f = try fixture()
        let site = try f.unpack(f.repaired)
        let r = try runSymscan(["check", "--format", "json", site])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let j = try CheckFixtures.json(r.stdout)
        XCTAssertEqual((j["modules"] as? [[String: Any]])?.count, 1)
        let bundled = j["bundledLibraries"] as? [String] ?? []
        XCTAssertEqual(bundled.count, 1)
        XCTAssertTrue(bundled.first?.contains("/gatepkg.libs/libgatehelper-") ?? false, "\(bundled)")
    }

    func testWheelWithoutItsBundledLibraryFailsNamingIt() throws {
        let f = try fixture()
        let broken = try f.without("gatepkg.libs/")
        // The oracles: auditwheel now sees an external library it cannot find, and the import fails.
        let show = try f.auditwheelShow(broken)
        XCTAssertTrue(show.stdout.contains("libgatehelper-"), show.stdout + show.stderr)
        XCTAssertFalse(show.stdout.contains("requires no external shared libraries"), show.stdout)
        let imported = try f.importResult(try f.unpack(broken))
        XCTAssertNotEqual(imported.status, 0)
        let soname = try XCTUnwrap(imported.stderr.split(separator: "\n").last.flatMap { line in
            line.split(separator: " ").first { $0.hasPrefix("libgatehelper-") }.map { String($0.dropLast()) }
        }, imported.stderr)

        let r = try runSymscan(["check", "--format", "json", broken])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let findings = CheckFixtures.findings(try CheckFixtures.json(r.stdout))
        XCTAssertEqual(findings.count, 1)
        let ids = findings.values.first ?? []
        XCTAssertTrue(ids.contains { $0.hasPrefix("needed-library-not-found") }, "\(ids)")
        let text = try runSymscan(["check", broken])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("\(soname) (DT_NEEDED of _demo"), text.stdout)
        XCTAssertTrue(text.stdout.contains("not in the wheel (gatepkg.libs/)"), text.stdout)

        // The same wheel unpacked fails the same way (the loader's own $ORIGIN search on disk).
        let tree = try runSymscan(["check", try f.unpack(broken)])
        XCTAssertEqual(tree.status, 1, tree.stdout + tree.stderr)
        XCTAssertTrue(tree.stdout.contains(soname), tree.stdout)
    }

    func testUnrepairedWheelFailsAsAuditwheelSays() throws {
        let f = try fixture()
        // Before repair, the module needs libgatehelper.so, which is on no search path.
        let show = try f.auditwheelShow(f.unrepaired)
        XCTAssertTrue(show.stdout.contains("libgatehelper.so"), show.stdout)
        let r = try runSymscan(["check", f.unrepaired])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("libgatehelper.so (DT_NEEDED"), r.stdout)
    }

    /// Every path `check` prints can be pasted into `diagnose`, which agrees with `check`.
    func testDiagnoseTakesThePathsCheckPrints() throws {
        let f = try fixture()
        let broken = try f.without("gatepkg.libs/")
        for (wheel, status) in [(f.repaired, Int32(0)), (broken, Int32(1))] {
            let r = try runSymscan(["check", "--format", "json", wheel])
            XCTAssertEqual(r.status, status)
            let paths = (try CheckFixtures.json(r.stdout)["modules"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            XCTAssertEqual(paths.count, 1)
            for p in paths + [wheel] {
                let d = try runSymscan(["diagnose", "--format", "json", p])
                XCTAssertEqual(d.status, status, "diagnose \(p): \(d.stdout) \(d.stderr)")
                let j = try CheckFixtures.json(d.stdout)
                XCTAssertEqual(j["verdict"] as? String, status == 0 ? "ok" : "fail")
            }
        }
        let bundled = try runSymscan(["diagnose", f.repaired + "!gatepkg.libs/nothing.so"])
        XCTAssertEqual(bundled.status, 2)
        XCTAssertTrue(bundled.stderr.contains("no such extension module in the wheel"), bundled.stderr)
    }
}
