import Foundation
import TestSupport
import XCTest

/// A wheelhouse of real PyPI wheels, downloaded in the test when the network allows (skipped
/// visibly offline): numpy and pillow (auditwheel-repaired, libraries in numpy.libs/ and
/// pillow.libs/), orjson and psutil (abi3) for this Python and machine, and orjson for
/// aarch64, musllinux, macOS and Windows. Oracles: python3 imports the wheels for this machine
/// once unpacked, and the tags say which the others are.
final class PyPIWheelhouseTests: XCTestCase {
    let python = which("python3") ?? "/usr/bin/python3"

    func download(_ dir: String, _ args: [String]) throws {
        let r = try runTool(python, ["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:",
                                     "--no-deps", "-d", dir] + args)
        guard r.status == 0 else { throw XCTSkip("SKIPPED: cannot download wheels from PyPI (offline?): \(r.stderr.suffix(300))") }
    }

    func testRealWheelhousePassesAndForeignWheelsAreNotMisjudged() throws {
        guard (try? runTool("/usr/bin/uname", ["-m"]).stdout.hasPrefix("x86_64")) == true else {
            throw XCTSkip("SKIPPED: the foreign wheels of this test are chosen for an x86_64 machine")
        }
        let tmp = try TempDir()
        let native = tmp.url.path + "/native", other = tmp.url.path + "/other"
        try download(native, ["numpy", "pillow", "orjson", "psutil"])
        for platform in ["manylinux_2_17_aarch64", "musllinux_1_2_x86_64", "macosx_11_0_arm64", "win_amd64"] {
            try download(other, ["--python-version", "3.11", "--platform", platform, "orjson==3.10.18"])
        }
        let wheels = try FileManager.default.contentsOfDirectory(atPath: native).filter { $0.hasSuffix(".whl") }.sorted()
        XCTAssertEqual(wheels.count, 4, "\(wheels)")

        // The oracle: each native wheel, unpacked as an installer would, imports.
        for w in wheels {
            let site = tmp.url.path + "/site-" + w.prefix { $0 != "-" }
            XCTAssertEqual(try runTool(python, ["-m", "zipfile", "-e", native + "/" + w, site]).status, 0)
            let package = ["numpy": "numpy", "pillow": "PIL.Image", "orjson": "orjson", "psutil": "psutil"][String(w.prefix { $0 != "-" })] ?? ""
            let imported = try runTool(python, ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import \(package)", site])
            XCTAssertEqual(imported.status, 0, "\(w): \(imported.stderr.suffix(400))")
        }

        let r = try runSymscan(["check", "--format", "json", native])
        XCTAssertEqual(r.status, 0, "\(r.stdout.prefix(3000)) \(r.stderr)")
        let j = try CheckFixtures.json(r.stdout)
        let modules = j["modules"] as? [[String: Any]] ?? []
        XCTAssertGreaterThan(modules.count, 20)
        XCTAssertTrue(modules.allSatisfy { ($0["status"] as? String) == "ok" })
        let bundled = j["bundledLibraries"] as? [String] ?? []
        XCTAssertTrue(bundled.contains { $0.contains("!numpy.libs/") }, "\(bundled)")
        XCTAssertTrue(bundled.contains { $0.contains("!pillow.libs/") }, "\(bundled)")
        XCTAssertFalse(modules.contains { ($0["path"] as? String)?.contains(".libs/") ?? false }, "a bundled library taken for a module")

        // Other platforms: aarch64 and musl are not judged by this machine's libraries, macOS
        // and Windows are not checked; nothing fails.
        let o = try runSymscan(["check", other])
        XCTAssertEqual(o.status, 0, o.stdout + o.stderr)
        XCTAssertTrue(o.stdout.contains("manylinux_2_17_aarch64"), o.stdout)
        XCTAssertTrue(o.stdout.contains("musllinux_1_2_x86_64"), o.stdout)
        XCTAssertTrue(o.stderr.contains(".whl: not checked: a macOS/iOS wheel (Mach-O modules)"), o.stderr)
        XCTAssertTrue(o.stderr.contains("win_amd64.whl: not checked: a Windows wheel"), o.stderr)
        XCTAssertTrue(o.stderr.contains("modules for aarch64 are not resolved"), o.stderr)
        XCTAssertTrue(o.stderr.contains("modules for musl libc are not resolved"), o.stderr)
        XCTAssertEqual(try runSymscan(["check", "--require-all", other]).status, 2)
    }
}
