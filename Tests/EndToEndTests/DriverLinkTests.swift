import Foundation
import TestSupport
import XCTest

/// `symscan diagnose x.o` assumes the object is linked by the compiler driver, which adds libc
/// and libgcc; `--nostdlib` assumes `ld` alone. The oracle is gcc with `-z defs` (everything
/// must resolve) with and without `-nostdlib`.
final class DriverLinkTests: XCTestCase {
    func testDiagnoseOfObjectsAssumesTheDriversLibraries() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        let dir = try TempDir()
        // close/getpid/malloc are libc's; hidden_helper is defined hidden in the other object.
        let a = try dir.write("a.c", Array("""
            #include <stdlib.h>
            #include <unistd.h>
            long hidden_helper(long);
            long f(int fd) { void *p = malloc(8); free(p); return close(fd) + getpid() + hidden_helper(fd); }
            """.utf8))
        let b = try dir.write("b.c", Array("__attribute__((visibility(\"hidden\"))) long hidden_helper(long x) { return x; }\n".utf8))
        var objects: [String] = []
        for src in [a, b] {
            let o = src.replacingOccurrences(of: ".c", with: ".o")
            XCTAssertEqual(try runTool(cc, ["-fPIC", "-c", src, "-o", o]).status, 0)
            objects.append(o)
        }
        let out = dir.url.appendingPathComponent("x.so").path
        let withLibc = try runTool(cc, ["-shared", "-Wl,-z,defs", "-o", out] + objects)
        let withoutLibc = try runTool(cc, ["-shared", "-nostdlib", "-Wl,-z,defs", "-o", out] + objects)
        XCTAssertEqual(withLibc.status, 0, withLibc.stderr)
        XCTAssertNotEqual(withoutLibc.status, 0)
        let theirs = Set(CommandLineText_undefined(withoutLibc.stderr))
        XCTAssertTrue(theirs.isSuperset(of: ["close", "getpid", "malloc", "free"]), "\(theirs)")

        let driver = try runSymscan(["diagnose", "--format", "json", "--no-python", "--no-search"] + objects)
        let d = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(driver.stdout.utf8)) as? [String: Any])
        let unresolved = (d["unresolved"] as? [[String: Any]] ?? []).filter { !($0["weak"] as? Bool ?? false) }.compactMap { $0["name"] as? String }
        XCTAssertEqual(unresolved, [], driver.stdout)
        let bare = try runSymscan(["diagnose", "--nostdlib", "--format", "json", "--no-python", "--no-search"] + objects)
        let n = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bare.stdout.utf8)) as? [String: Any])
        let names = Set((n["unresolved"] as? [[String: Any]] ?? []).filter { !($0["weak"] as? Bool ?? false) }.compactMap { $0["name"] as? String })
        XCTAssertEqual(names, theirs, bare.stdout)
        XCTAssertEqual(bare.status, 1)
    }
}

/// The names GNU ld reports in `undefined reference to `X'` lines.
private func CommandLineText_undefined(_ text: String) -> [String] {
    text.split(separator: "\n").compactMap { line -> String? in
        guard let r = line.range(of: "undefined reference to `") else { return nil }
        return String(line[r.upperBound...].prefix { $0 != "'" })
    }
}
