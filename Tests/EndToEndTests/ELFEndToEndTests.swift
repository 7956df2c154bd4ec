import Foundation
import XCTest
import TestSupport

/// Runs the built `symscan` on ELF inputs and checks what a user sees: nm-identical text,
/// the JSON keys, one-line errors with exit status 2, notes for skipped archive members.
final class ELFEndToEndTests: XCTestCase {
    typealias Run = RunResult

    static let root = Paths.repo.path

    static func fixture(_ rel: String) -> String { root + "/TestBinaries/" + rel }

    /// The tool sits next to the test bundle in the build's products directory.
    static var tool: URL {
        Bundle.main.bundleURL.appendingPathComponent("symscan")
    }

    func run(_ args: [String], tool: URL = ELFEndToEndTests.tool) throws -> Run {
        let r = try runTool(tool.path, args)
        if tool == Self.tool { SchemaCheck.checkOutput(of: args, stdout: r.stdout) }
        return r
    }

    func oracleRun(_ args: [String]) throws -> String {
        try runTool("/usr/bin/env", args).stdout
    }

    func testTextEqualsNM() throws {
        for rel in ["elf64/_demo.so", "elf64/demo.o", "elf-cross/elf32be/libversioned.so", "elf-cross/elf64be/names.o"] {
            let path = Self.fixture(rel)
            let ours = try run(["symbols", path])
            XCTAssertEqual(ours.status, 0, ours.stderr)
            XCTAssertEqual(ours.stdout, try oracleRun(["nm", "-p", path]), rel)
            let dyn = try run(["symbols", "--dynamic", path])
            if rel.hasSuffix(".so") {
                XCTAssertEqual(dyn.stdout, try oracleRun(["nm", "-D", "-p", path]), "--dynamic \(rel)")
            }
        }
    }

    func testDemanglesByDefaultLikeNMC() throws {
        let lib = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
        guard FileManager.default.fileExists(atPath: lib) else { throw XCTSkip("no \(lib)") }
        XCTAssertEqual(try run(["symbols", "-D", lib]).stdout, try oracleRun(["nm", "-D", "-p", "-C", lib]))
        XCTAssertEqual(try run(["symbols", "-D", "--no-demangle", lib]).stdout, try oracleRun(["nm", "-D", "-p", lib]))
    }

    func testJSONCarriesDynamicKeysVersionsAndDemangledNames() throws {
        let path = Self.fixture("elf-cross/elf64le/libversioned.so")
        let r = try run(["symbols", "--dynamic", "--format", "json", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let file = try XCTUnwrap((json["files"] as? [[String: Any]])?.first)
        XCTAssertEqual(file["needed"] as? [String], ["libnames.so.1"])
        XCTAssertEqual(file["soname"] as? String, "libversioned.so.1")
        XCTAssertEqual(file["runpath"] as? [String], ["$ORIGIN", "$ORIGIN/../lib"])
        XCTAssertEqual(file["rpath"] as? [String], [])
        XCTAssertEqual(file["machine"] as? String, "aarch64")
        let symbols = try XCTUnwrap(file["symbols"] as? [[String: Any]])
        let versions = symbols.compactMap { s -> String? in
            guard let v = s["version"] as? String, let d = s["versionDefault"] as? Bool else { return nil }
            return "\(s["name"] as? String ?? "")\(d ? "@@" : "@")\(v)"
        }
        XCTAssertEqual(Set(versions), ["a_defined_function_with_long_name@NAMES_1.0", "initialised_data@NAMES_1.0",
                                       "versioned_api@@VERS_1.0", "old_api@VERS_1.0", "old_api@@VERS_2.0"])

        let cxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
        if FileManager.default.fileExists(atPath: cxx) {
            let j = try run(["symbols", "-D", "--defined-only", "--format", "json", cxx])
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
            let syms = try XCTUnwrap(((o["files"] as? [[String: Any]])?.first?["symbols"]) as? [[String: Any]])
            let pair = syms.first { ($0["name"] as? String) == "_ZNSt9bad_allocD0Ev" }
            XCTAssertEqual(pair?["demangled"] as? String, "std::bad_alloc::~bad_alloc()")
            XCTAssertNil(syms.first { ($0["name"] as? String) == "__cxa_throw" }?["demangled"])
        }
    }

    func testBadFileIsOneLineExitTwoOthersStillListed() throws {
        let dir = try makeScratchDirectory("e2e")
        let bad = dir + "/bad.so"
        var data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("elf64/_demo.so")))
        for i in 0x28..<0x30 { data[i] = 0x7F }
        try data.write(to: URL(fileURLWithPath: bad))
        let good = Self.fixture("elf64/names.o")
        let r = try run(["symbols", bad, good])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stdout.contains("a_defined_function_with_long_name"), r.stdout)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("symscan: \(bad): ") ?? false, r.stderr)
        XCTAssertTrue(lines.first?.hasSuffix("(at byte offset 40)") ?? false, r.stderr)

        let thin = dir + "/thin.a"
        _ = try oracleRun(["ar", "rcT", thin, good])
        let t = try run(["symbols", thin])
        XCTAssertEqual(t.status, 2)
        XCTAssertEqual(t.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(t.stderr.contains("thin archive"), t.stderr)
    }

    func testRlibMetadataMemberIsANoteNotAnError() throws {
        let dir = try makeScratchDirectory("e2e")
        try Data("metadata".utf8).write(to: URL(fileURLWithPath: dir + "/lib.rmeta"))
        let rlib = dir + "/libx.rlib"
        _ = try oracleRun(["ar", "rc", rlib, Self.fixture("elf64/names.o"), dir + "/lib.rmeta"])
        let r = try run(["symbols", rlib])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\(rlib)(names.o):"), r.stdout)
        XCTAssertEqual(r.stderr, "symscan: note: \(rlib)(lib.rmeta): skipped: not an ELF object\n")
    }
}
