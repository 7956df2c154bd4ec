import Foundation
import TestSupport
import XCTest

/// Inputs for the `check` tests: clean Linux modules from this machine's Python, the bundled
/// failing AIX module, and small ELF modules compiled on the spot with chosen undefined symbols.
enum CheckFixtures {
    static let example = Paths.testBinaries.appendingPathComponent("aix-example")
    static let demo64 = example.appendingPathComponent("demo64.o").path
    static let pyo3Config = example.appendingPathComponent("pyo3-aix.cfg").path

    /// The extension modules of this Python's lib-dynload, by stem (`_json` → full path).
    static func pythonModules() throws -> [String: String] {
        let out = try runTool(which("python3") ?? "/usr/bin/python3",
                              ["-c", "import sysconfig; print(sysconfig.get_config_var('DESTSHARED'))"])
        let dir = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var modules: [String: String] = [:]
        for n in names where n.hasSuffix(".so") {
            modules[String(n.prefix { $0 != "." })] = dir + "/" + n
        }
        guard modules.count >= 4 else { throw XCTSkip("SKIPPED: this Python has no lib-dynload extension modules") }
        return modules
    }

    /// A few clean modules (fast to diagnose).
    static func cleanModules() throws -> [String] {
        let all = try pythonModules()
        let picked = ["_json", "_bisect", "math", "_csv"].compactMap { all[$0] }
        return picked.count >= 3 ? picked : Array(all.values.sorted().prefix(4))
    }

    /// Compiles an ELF extension module `NAME.so` exporting `PyInit_NAME` that calls each of
    /// `undefined` (left undefined: a shared object may, and the loader fails at import).
    static func compileModule(_ name: String, undefined: [String], in dir: URL) throws -> String {
        let cc = which("cc") ?? which("gcc") ?? "/usr/bin/cc"
        let src = dir.appendingPathComponent("\(name).c")
        let decls = undefined.map { "extern void *\($0)(void);" }.joined(separator: "\n")
        let calls = undefined.map { "    r = \($0)();" }.joined(separator: "\n")
        try "\(decls)\nvoid *PyInit_\(name)(void) {\n    void *r = 0;\n\(calls)\n    return r;\n}\n"
            .write(to: src, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("\(name).so").path
        let r = try runTool(cc, ["-shared", "-fPIC", "-o", out, src.path])
        guard r.status == 0 else { throw XCTSkip("SKIPPED: cc cannot build a shared object: \(r.stderr)") }
        try FileManager.default.removeItem(at: src)
        return out
    }

    /// A wheel (zip) made by Python's zipfile: `members` maps archive names to files; deflated
    /// unless the name is in `stored`.
    static func makeWheel(_ path: String, members: [(String, String)], stored: Set<String> = []) throws {
        let spec = members.map { "(\(pyString($0.0)), \(pyString($0.1)), \(stored.contains($0.0) ? "True" : "False"))" }.joined(separator: ", ")
        let script = """
            import zipfile
            with zipfile.ZipFile(\(pyString(path)), "w") as z:
                for name, src, stored in [\(spec)]:
                    z.write(src, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                z.writestr("pkg/__init__.py", "")
                z.writestr("pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\n")
            """
        let r = try runTool(which("python3") ?? "/usr/bin/python3", ["-c", script])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    static func pyString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    static func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Per module of a `check` JSON report: key → [(id, severity, symbols)] of its findings.
    static func findings(_ report: [String: Any], stripKeyPrefix: String = "") -> [String: [String]] {
        var out: [String: [String]] = [:]
        for m in report["modules"] as? [[String: Any]] ?? [] {
            var key = m["key"] as? String ?? ""
            if key.hasPrefix(stripKeyPrefix) { key = String(key.dropFirst(stripKeyPrefix.count)) }
            let d = m["diagnosis"] as? [String: Any] ?? [:]
            out[key] = (d["findings"] as? [[String: Any]] ?? []).map {
                "\($0["id"] as? String ?? "") \($0["severity"] as? String ?? "") \(($0["symbols"] as? [String] ?? []).joined(separator: ","))"
            }
        }
        return out
    }
}
