import Foundation
import Linkage
import TestSupport
import XCTest

/// A module for another machine (aarch64) or C library (musl) is never resolved against this
/// machine's libraries; with `--sysroot` it is resolved inside the target root, and the verdict
/// equals what lld says linking the same object against that root with `--no-undefined`.
final class ForeignTargetTests: XCTestCase {
    struct Tools { var clang: String; var lld: String }

    static func tools() throws -> Tools {
        guard let clang = which("clang") ?? which("/opt/swift/usr/bin/clang"),
              let lld = which("ld.lld") ?? which("/opt/swift/usr/bin/ld.lld") else {
            throw XCTSkip("SKIPPED: clang and ld.lld are needed to build for another target")
        }
        return Tools(clang: clang, lld: lld)
    }

    /// Compiles `source` for `triple` into an object in `dir`.
    static func object(_ name: String, _ source: String, triple: String, in dir: URL, _ t: Tools) throws -> String {
        let c = dir.appendingPathComponent("\(name).c").path
        try source.write(toFile: c, atomically: true, encoding: .utf8)
        let o = dir.appendingPathComponent("\(name).o").path
        let r = try runTool(t.clang, ["--target=\(triple)", "-fPIC", "-c", "-o", o, c])
        if r.status != 0 { throw XCTSkip("SKIPPED: clang cannot compile for \(triple): \(r.stderr.suffix(200))") }
        return o
    }

    static func link(_ t: Tools, _ args: [String]) throws -> RunResult { try runTool(t.lld, args) }

    static func diagnose(_ path: String, sysroot: String?) throws -> Diagnosis {
        var o = DiagnoseOptions(inputs: [path])
        o.sysroot = sysroot
        o.python = .none
        o.environment = ProcessInfo.processInfo.environment
        return try XCTUnwrap(Diagnoser.run(o).diagnosis)
    }

    /// The module needs `soname` (built from `libDefs` under `root/libDir`) and calls foo and bar.
    func check(triple: String, soname: String, libDir: String) throws {
        let t = try Self.tools()
        let tmp = try TempDir()
        let full = try Self.object("full", "int foo(void){return 1;}\nint bar(void){return 2;}\n", triple: triple, in: tmp.url, t)
        let part = try Self.object("part", "int foo(void){return 1;}\n", triple: triple, in: tmp.url, t)
        let m = try Self.object("m", "int foo(void); int bar(void);\nint use(void){return foo()+bar();}\n", triple: triple, in: tmp.url, t)
        let build = tmp.url.appendingPathComponent("build").path
        try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
        XCTAssertEqual(try Self.link(t, ["-shared", "-soname", soname, "-o", "\(build)/\(soname)", full]).status, 0)
        let module = tmp.url.appendingPathComponent("m.so").path
        XCTAssertEqual(try Self.link(t, ["-shared", "-o", module, m, "\(build)/\(soname)"]).status, 0)

        // No sysroot: one note, nothing taken from this machine, no verdict on the unchecked.
        let bare = try Self.diagnose(module, sysroot: nil)
        XCTAssertTrue(bare.findings.contains { $0.id == .foreignTargetNotResolved }, "\(bare.findings)")
        XCTAssertTrue(bare.libraries.isEmpty, "\(bare.libraries.map(\.path))")
        XCTAssertTrue(bare.verdictOK, "\(bare.findings)")

        for (name, defs) in [("partial", part), ("complete", full)] {
            let root = tmp.url.appendingPathComponent(name)
            let dir = root.appendingPathComponent(libDir).path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            XCTAssertEqual(try Self.link(t, ["-shared", "-soname", soname, "-o", "\(dir)/\(soname)", defs]).status, 0)
            let oracle = try Self.link(t, ["-shared", "--no-undefined", "-o", tmp.url.appendingPathComponent("check.so").path, m, "\(dir)/\(soname)"])
            let undefined = Set(oracle.stderr.split(separator: "\n").compactMap { line -> String? in
                guard let r = line.range(of: "undefined symbol: ") else { return nil }
                return String(line[r.upperBound...])
            })
            let d = try Self.diagnose(module, sysroot: root.path)
            XCTAssertEqual(d.verdictOK, oracle.status == 0, "\(name): lld \(oracle.stderr); symscan \(d.findings)")
            XCTAssertEqual(Set(d.unresolved.filter { !$0.weak }.map(\.name)), undefined, name)
            XCTAssertTrue(d.libraries.allSatisfy { $0.path.hasPrefix(root.path) }, "\(d.libraries.map(\.path))")
            XCTAssertFalse(d.findings.contains { $0.id == .foreignTargetNotResolved })
        }
    }

    func testAarch64ModuleIsResolvedOnlyInItsRoot() throws {
        try check(triple: "aarch64-linux-gnu", soname: "libfoo.so", libDir: "usr/lib/aarch64-linux-gnu")
    }

    func testMuslModuleIsResolvedOnlyInItsRoot() throws {
        // x86-64 like this machine, but linked against musl's libc.
        try check(triple: "x86_64-linux-musl", soname: "libc.musl-x86_64.so.1", libDir: "lib")
    }
}
