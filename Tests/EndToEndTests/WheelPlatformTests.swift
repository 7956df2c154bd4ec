import Foundation
import TestSupport
import XCTest

/// Wheels for other platforms: an aarch64 module linked for real by ld.lld (from the Swift
/// toolchain) against a stand-in aarch64 libc.so.6, put in wheels whose tags name aarch64 and
/// x86_64, and a macOS wheel. Oracles: readelf's machine of the module, and python3's ctypes,
/// which cannot load it on this machine (so this machine's libraries say nothing about it).
final class WheelPlatformTests: XCTestCase {
    struct Built {
        let dir: TempDir
        let module: String
        let native: String
        let mislabelled: String
        let mac: String
    }

    func build() throws -> Built {
        let clang = "/opt/swift/usr/bin/clang", lld = "/opt/swift/usr/bin/ld.lld"
        guard FileManager.default.isExecutableFile(atPath: clang), FileManager.default.isExecutableFile(atPath: lld) else {
            throw XCTSkip("SKIPPED: no clang/ld.lld in /opt/swift/usr/bin to build an aarch64 module")
        }
        guard let host = try? runTool("/usr/bin/uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines),
              host == "x86_64" else { throw XCTSkip("SKIPPED: the test's foreign machine is aarch64; this machine must be x86_64") }
        let dir = try TempDir()
        let d = dir.url.path
        try "extern int puts(const char *);\nextern void *PyLong_FromLong(long);\nvoid *PyInit__armmod(void) { puts(\"x\"); return PyLong_FromLong(1); }\n"
            .write(toFile: d + "/m.c", atomically: true, encoding: .utf8)
        try "".write(toFile: d + "/e.c", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: d + "/stub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: d + "/dist", withIntermediateDirectories: true)
        let module = d + "/_armmod.cpython-311-aarch64-linux-gnu.so"
        for (tool, args) in [(clang, ["--target=aarch64-linux-gnu", "-fPIC", "-c", d + "/m.c", "-o", d + "/m.o"]),
                             (clang, ["--target=aarch64-linux-gnu", "-fPIC", "-c", d + "/e.c", "-o", d + "/e.o"]),
                             (lld, ["-shared", "-soname", "libc.so.6", "-o", d + "/stub/libc.so.6", d + "/e.o"]),
                             (lld, ["-shared", "-o", module, d + "/m.o", "--no-as-needed", d + "/stub/libc.so.6"])] {
            let r = try runTool(tool, args)
            guard r.status == 0 else { throw XCTSkip("SKIPPED: cannot build the aarch64 module: \(r.stderr)") }
        }
        let member = "armpkg/_armmod.cpython-311-aarch64-linux-gnu.so"
        let native = d + "/dist/armpkg-1.0-cp311-cp311-manylinux_2_17_aarch64.whl"
        let mislabelled = d + "/dist/armpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"
        try CheckFixtures.makeWheel(native, members: [(member, module)])
        try CheckFixtures.makeWheel(mislabelled, members: [(member, module)])
        // A Mach-O stand-in: a 64-bit Mach-O header, which symscan cannot read.
        let macho = try dir.write("macho.so", [0xCF, 0xFA, 0xED, 0xFE] + [UInt8](repeating: 0, count: 60))
        let mac = d + "/dist/armpkg-1.0-cp311-cp311-macosx_11_0_arm64.whl"
        try CheckFixtures.makeWheel(mac, members: [("armpkg/_armmod.cpython-311-darwin.so", macho)])
        return Built(dir: dir, module: module, native: native, mislabelled: mislabelled, mac: mac)
    }

    func testMachineOfTheTagAndOfTheModule() throws {
        let b = try build()
        let readelf = try runTool(which("readelf") ?? "/usr/bin/readelf", ["-h", b.module])
        XCTAssertTrue(readelf.stdout.contains("AArch64"), readelf.stdout)

        let ok = try runSymscan(["check", "--format", "json", b.native])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        let bad = try runSymscan(["check", "--format", "json", b.mislabelled])
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
        let ids = CheckFixtures.findings(try CheckFixtures.json(bad.stdout)).values.flatMap { $0 }
        XCTAssertEqual(ids.map { $0.split(separator: " ").first.map(String.init) ?? "" }, ["wheel-platform-mismatch"], "\(ids)")
    }

    func testForeignModuleIsNotResolvedAgainstThisMachine() throws {
        let b = try build()
        // The oracle: this machine's loader cannot load it at all.
        let load = try runTool(which("python3") ?? "/usr/bin/python3", ["-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])", b.module])
        XCTAssertNotEqual(load.status, 0, "an aarch64 module loaded on x86_64?")

        let r = try runSymscan(["check", "--format", "json", b.dir.url.path + "/dist"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)  // only the mislabelled wheel fails
        let j = try CheckFixtures.json(r.stdout)
        for m in j["modules"] as? [[String: Any]] ?? [] {
            let libs = (m["diagnosis"] as? [String: Any])?["libraries"] as? [[String: Any]] ?? []
            XCTAssertEqual(libs.count, 0, "an aarch64 module resolved against this machine's libraries: \(libs)")
        }
        let note = "modules for aarch64 are not resolved against this machine's (x86-64, "
        XCTAssertEqual(r.stderr.components(separatedBy: note).count - 1, 1, "one note per run: \(r.stderr)")
    }

    func testMacWheelIsNotCheckedUnlessRequireAll() throws {
        let b = try build()
        let r = try runSymscan(["check", b.mac, b.native])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("\(b.mac): not checked: a macOS/iOS wheel (Mach-O modules)"), r.stderr)
        let only = try runSymscan(["check", b.mac])
        XCTAssertEqual(only.status, 0, only.stdout + only.stderr)
        let strict = try runSymscan(["check", "--require-all", b.mac, b.native])
        XCTAssertEqual(strict.status, 2, strict.stdout + strict.stderr)
        XCTAssertTrue(strict.stderr.contains("\(b.mac): not checked"), strict.stderr)
    }
}
