import Foundation
import TestSupport
import XCTest

/// `symscan check` as a CI job runs it: exit codes, module discovery, --allow, baselines, wheels.
final class CheckCommandTests: XCTestCase {
    typealias F = CheckFixtures

    func symscan(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        try runSymscan(args, file: file, line: line)
    }

    /// A directory holding links to clean modules of this Python.
    func cleanTree(_ dir: TempDir) throws -> URL {
        let root = dir.url.appendingPathComponent("clean")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("pkg/sub"), withIntermediateDirectories: true)
        for (i, m) in try F.cleanModules().enumerated() {
            let at = root.appendingPathComponent(i % 2 == 0 ? "pkg" : "pkg/sub").appendingPathComponent((m as NSString).lastPathComponent)
            try FileManager.default.createSymbolicLink(atPath: at.path, withDestinationPath: m)
        }
        try "print('not a module')\n".write(to: root.appendingPathComponent("pkg/__init__.py"), atomically: true, encoding: .utf8)
        return root
    }

    func testCleanModulesExitZero() throws {
        let dir = try TempDir()
        let root = try cleanTree(dir)
        let count = try F.cleanModules().count
        let r = try symscan(["check", root.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("\(count) modules: 0 failed, \(count) ok (fail on error)"), r.stdout)
        XCTAssertFalse(r.stderr.contains("\r"), "no progress when stderr is not a terminal")
        let j = try F.json(try symscan(["check", "--format", "json", root.path]).stdout)
        XCTAssertEqual(j["verdict"] as? String, "ok")
        let modules = try XCTUnwrap(j["modules"] as? [[String: Any]])
        XCTAssertEqual(modules.count, count)
        let keys = modules.compactMap { $0["key"] as? String }
        XCTAssertEqual(keys, keys.sorted { a, b in
            // Name order within each directory, as the walk visits them.
            a.split(separator: "/").map(String.init).lexicographicallyPrecedes(b.split(separator: "/").map(String.init))
        })
        XCTAssertTrue(keys.allSatisfy { $0.hasPrefix("pkg/") }, "\(keys)")
    }

    func testFailingAIXModuleExitsOne() throws {
        let clean = try F.cleanModules()
        let r = try symscan(["check", F.demo64, clean[0], "--pyo3-config", F.pyo3Config])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL  \(F.demo64)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error [libpython-not-linked]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("OK    \(clean[0])"), r.stdout)
        XCTAssertTrue(r.stdout.contains("2 modules: 1 failed, 1 ok"), r.stdout)
        let j = try F.json(try symscan(["check", "--format", "json", F.demo64, clean[0], "--pyo3-config", F.pyo3Config]).stdout)
        let summary = try XCTUnwrap(j["summary"] as? [String: Any])
        XCTAssertEqual(summary["failed"] as? Int, 1)
        XCTAssertEqual(summary["ok"] as? Int, 1)
        XCTAssertEqual(j["verdict"] as? String, "fail")
    }

    func testParallelRunsGiveTheSameReport() throws {
        let modules = Array(try F.pythonModules().values.sorted().prefix(12))
        let a = try symscan(["check", "--format", "json", "--no-search"] + modules)
        let b = try symscan(["check", "--format", "json", "--no-search"] + modules.reversed())
        XCTAssertEqual(a.status, 0, a.stderr)
        let ja = try F.json(a.stdout), jb = try F.json(b.stdout)
        let pa = (ja["modules"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let pb = (jb["modules"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        XCTAssertEqual(pa, modules, "the report follows the order of the arguments, not of the workers")
        XCTAssertEqual(pb, modules.reversed())
        XCTAssertEqual(try symscan(["check", "--format", "json", "--no-search"] + modules).stdout, a.stdout, "deterministic")
    }

    func testFailOnWarning() throws {
        // python.exp imports from the main program (#!.): a warning unless Python is embedded.
        let exp = F.example.appendingPathComponent("python.exp").path
        let args = ["check", F.demo64, "--no-python", "--lib", exp]
        let normal = try symscan(args)
        XCTAssertEqual(normal.status, 0, normal.stdout + normal.stderr)
        XCTAssertTrue(normal.stdout.contains("warning [imports-from-main-program]"), normal.stdout)
        let strict = try symscan(args + ["--fail-on", "warning"])
        XCTAssertEqual(strict.status, 1, strict.stdout)
        XCTAssertTrue(strict.stdout.contains("1 module: 1 failed, 0 ok (fail on warning)"), strict.stdout)
        XCTAssertEqual(try symscan(args + ["--embedded"]).status, 1, "embedded: an error")
        XCTAssertEqual(try symscan(args + ["--fail-on", "note"]).status, 2, "bad usage")
    }

    func testAllowGlobs() throws {
        let base = ["check", "--format", "json", F.demo64, "--pyo3-config", F.pyo3Config]
        let all = try symscan(base + ["--allow", ".Py*", "--allow", "._Py*", "--allow", "Py*", "--allow", "_Py*"])
        XCTAssertEqual(all.status, 0, all.stdout)
        let j = try F.json(all.stdout)
        XCTAssertEqual((j["summary"] as? [String: Any])?["allowedSymbols"] as? Int, 31)
        XCTAssertEqual(F.findings(j)["demo64.o"]?.filter { $0.hasPrefix("libpython-not-linked") }, [])

        // Only the entry points (.Py*, ._Py*) allowed: the data symbols still fail, and only they are named.
        let part = try symscan(base + ["--allow", ".*"])
        XCTAssertEqual(part.status, 1)
        let findings = try XCTUnwrap(F.findings(try F.json(part.stdout))["demo64.o"])
        let libpython = try XCTUnwrap(findings.first { $0.hasPrefix("libpython-not-linked") })
        let symbols = libpython.split(separator: " ").last!.split(separator: ",").map(String.init)
        XCTAssertEqual(Set(symbols), ["_Py_NoneStruct", "PyExc_OverflowError", "PyLong_Type", "PyExc_ValueError", "PyExc_TypeError", "PyExc_RuntimeError"])
        let text = try symscan(Array(base.filter { $0 != "--format" && $0 != "json" }) + ["--allow", ".*"])
        XCTAssertTrue(text.stdout.contains("25 allowed by --allow; still: "), text.stdout)
    }

    func testBaselineRoundTrip() throws {
        let dir = try TempDir()
        let baseline = dir.url.appendingPathComponent("baseline.json").path
        let build = dir.url.appendingPathComponent("build")
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        let mod = try F.compileModule("_gate", undefined: ["symscan_test_old"], in: build)
        let common = ["--pyo3-config", F.pyo3Config, "--no-search"]

        let failing = try symscan(["check", F.demo64, mod] + common)
        XCTAssertEqual(failing.status, 1, failing.stdout)

        let write = try symscan(["check", "--write-baseline", baseline, F.demo64, mod] + common)
        XCTAssertEqual(write.status, 0, write.stdout + write.stderr)
        XCTAssertTrue(write.stdout.contains("accepted by the baseline"), write.stdout)
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        XCTAssertEqual(SchemaCheck.assertValid(text, "baseline"), "baseline")
        // Several PATHs: each module is keyed by its path as given.
        XCTAssertTrue(text.contains("\"path\": \"\(mod)\""), text)
        XCTAssertTrue(text.contains("\"path\": \"\(F.demo64)\""), text)
        XCTAssertTrue(text.contains("\"symbols\": [\"symscan_test_old\"]"), text)

        // Re-run: what the baseline recorded is accepted.
        let again = try symscan(["check", "--baseline", baseline, F.demo64, mod] + common)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        // Written again from the same inputs: the same bytes (stable order).
        let baseline2 = dir.url.appendingPathComponent("baseline2.json").path
        _ = try symscan(["check", "--write-baseline", baseline2, mod, F.demo64] + common)
        XCTAssertEqual(try String(contentsOfFile: baseline2, encoding: .utf8), text)

        // The next build, in the same place: a new undefined symbol in the same module, and a
        // new failing module: exit 1, and only the new problems are named.
        let mod2 = try F.compileModule("_gate", undefined: ["symscan_test_old", "symscan_test_new"], in: build)
        let newModule = try F.compileModule("_extra", undefined: ["symscan_test_other"], in: build)
        let r = try symscan(["check", "--format", "json", "--baseline", baseline, F.demo64, mod2, newModule] + common)
        XCTAssertEqual(r.status, 1, r.stdout)
        let findings = F.findings(try F.json(r.stdout))
        XCTAssertEqual(findings[F.demo64]?.filter { !$0.contains(" note ") }, [])
        XCTAssertEqual(findings[mod2]?.filter { !$0.contains(" note ") }, ["unresolved-symbols error symscan_test_new"])
        XCTAssertEqual(findings[newModule]?.filter { !$0.contains(" note ") }, ["unresolved-symbols error symscan_test_other"])
        let t = try symscan(["check", "--baseline", baseline, F.demo64, mod2] + common)
        XCTAssertEqual(t.status, 1)
        XCTAssertTrue(t.stdout.contains("[1 in the baseline; new: symscan_test_new]"), t.stdout)
        XCTAssertFalse(t.stdout.contains("libpython-not-linked"), t.stdout)

        // A baseline that is not one is unusable input.
        let bad = try dir.write("bad.json", Array("{\"modules\": []}".utf8))
        let b = try symscan(["check", "--baseline", bad, mod] + common)
        XCTAssertEqual(b.status, 2)
        XCTAssertTrue(b.stderr.contains("not a symscan baseline"), b.stderr)
    }

    func testWheelGivesTheSameFindingsAsTheUnpackedFiles() throws {
        let dir = try TempDir()
        let unpacked = dir.url.appendingPathComponent("unpacked/pkg")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        var members: [(String, String)] = []
        for m in try F.cleanModules() {
            let name = (m as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: m, toPath: unpacked.appendingPathComponent(name).path)
            members.append(("pkg/\(name)", m))
        }
        let failing = try F.compileModule("_broken", undefined: ["symscan_wheel_missing"], in: unpacked)
        members.append(("pkg/_broken.so", failing))
        let wheel = dir.url.appendingPathComponent("pkg-1.0-cp311-cp311-linux_x86_64.whl").path
        // One member stored, the rest deflated: both paths of the zip reader.
        try F.makeWheel(wheel, members: members, stored: [members[0].0])

        let common = ["check", "--format", "json", "--no-search"]
        let fromFiles = try symscan(common + [dir.url.appendingPathComponent("unpacked").path])
        let fromWheel = try symscan(common + [wheel])
        XCTAssertEqual(fromFiles.status, 1)
        XCTAssertEqual(fromWheel.status, 1, fromWheel.stderr)
        let a = F.findings(try F.json(fromFiles.stdout))
        // Keyed by the wheel's name without its version.
        let b = F.findings(try F.json(fromWheel.stdout), stripKeyPrefix: "pkg-cp311-cp311-linux_x86_64.whl!")
        XCTAssertEqual(a.count, members.count)
        XCTAssertEqual(a, b)
        XCTAssertEqual(b["pkg/_broken.so"]?.first { $0.hasPrefix("unresolved") }, "unresolved-symbols error symscan_wheel_missing")
        let paths = (try F.json(fromWheel.stdout)["modules"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        XCTAssertTrue(paths.contains("\(wheel)!pkg/_broken.so"), "\(paths)")

        // A wheel inside a scanned directory is read too.
        let both = try symscan(["check", "--no-search", dir.url.path])
        XCTAssertTrue(both.stdout.contains("\(2 * members.count) modules: 2 failed"), both.stdout)
    }

    func testDamagedWheelAndMissingPathsExitTwo() throws {
        let dir = try TempDir()
        let clean = try F.cleanModules()[0]
        let wheel = dir.url.appendingPathComponent("x.whl").path
        try F.makeWheel(wheel, members: [("pkg/_m.so", clean)])
        var bytes = try readBytes(wheel)
        // Flip a byte inside the deflated member: inflate or the CRC must catch it.
        bytes[200] ^= 0xFF
        let damaged = try dir.write("damaged.whl", bytes)
        let r = try symscan(["check", damaged])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stderr.contains("damaged.whl!pkg/_m.so: "), r.stderr)

        let truncated = try dir.write("truncated.whl", Array(bytes.prefix(100)))
        let t = try symscan(["check", truncated])
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.stderr.contains("zip end of central directory"), t.stderr)

        XCTAssertEqual(try symscan(["check", dir.url.appendingPathComponent("nope").path, clean]).status, 2)
        let empty = dir.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let e = try symscan(["check", empty.path])
        XCTAssertEqual(e.status, 2)
        XCTAssertEqual(e.stderr, "symscan: no extension modules found under \(empty.path)\n", "one line, not a note saying it too")
        XCTAssertEqual(try symscan(["check"]).status, 2)
    }

    func testDiscoveryRules() throws {
        let dir = try TempDir()
        let root = dir.url.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let clean = try F.cleanModules()[0]
        // Named without a module suffix but exporting PyInit_<name>: found by its bytes.
        let stem = ((clean as NSString).lastPathComponent as String).prefix { $0 != "." }
        try FileManager.default.copyItem(atPath: clean, toPath: root.appendingPathComponent(String(stem)).path)
        // A library next to the modules: not a module (no PyInit_), skipped with a note.
        _ = try runTool(which("cc") ?? "/usr/bin/cc", ["-shared", "-fPIC", "-o", root.appendingPathComponent("libhelper.so").path, "-x", "c", "/dev/null"])
        // An AIX archive holding a shared libpython: not a module either.
        try FileManager.default.copyItem(atPath: F.example.appendingPathComponent("lib64/libpython3.9.a").path,
                                         toPath: root.appendingPathComponent("libpython3.9.a").path)
        _ = try dir.write("tree/_win.pyd", Array("MZ".utf8))
        _ = try dir.write("tree/readme.txt", Array("text".utf8))
        let r = try symscan(["check", "--no-search", root.path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("1 module: 0 failed, 1 ok"), r.stdout)
        XCTAssertTrue(r.stdout.contains("OK    \(root.path)/\(stem)\n"), r.stdout)
        XCTAssertTrue(r.stderr.contains("_win.pyd: skipped: .pyd is a Windows extension module"), r.stderr)
        XCTAssertTrue(r.stderr.contains("libhelper.so: skipped: a library, not an extension module"), r.stderr)
        XCTAssertTrue(r.stderr.contains("libpython3.9.a: skipped: a library, not an extension module"), r.stderr)

        // Only libraries: nothing to gate, which is unusable input, not a pass.
        let libs = dir.url.appendingPathComponent("libs")
        try FileManager.default.createDirectory(at: libs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("libpython3.9.a").path,
                                         toPath: libs.appendingPathComponent("libpython3.9.a").path)
        let l = try symscan(["check", libs.path])
        XCTAssertEqual(l.status, 2, l.stdout)
        XCTAssertTrue(l.stderr.contains("no extension modules found"), l.stderr)
    }

    func testProgressOnlyOnATerminal() throws {
        guard let script = which("script") else { throw XCTSkip("SKIPPED: script(1) is not installed") }
        let modules = try F.cleanModules()
        let cmd = ([Paths.symscan.path, "check", "--no-search"] + modules).map { "'\($0)'" }.joined(separator: " ")
        // script(1) gives the command a terminal; its stdout and stderr both reach the transcript.
        let tty = try runTool(script, ["-qec", cmd + " >/dev/null", "/dev/null"])
        XCTAssertEqual(tty.status, 0, tty.stdout)
        XCTAssertTrue(tty.stdout.contains("\r\u{1B}[Ksymscan: [1/\(modules.count)] "), tty.stdout.debugDescription)
        XCTAssertTrue(tty.stdout.contains("[\(modules.count)/\(modules.count)]"), tty.stdout.debugDescription)
        let quiet = try runTool(script, ["-qec", cmd + " --quiet >/dev/null", "/dev/null"])
        XCTAssertFalse(quiet.stdout.contains("symscan: ["), quiet.stdout.debugDescription)
    }

    func testHelpCoversEveryOptionAndCompletions() throws {
        let help = try symscan(["check", "--help"])
        XCTAssertEqual(help.status, 0)
        for option in ["--fail-on", "--allow", "--baseline", "--write-baseline", "--format", "--output", "--quiet",
                       "-L", "-l", "--lib", "--python", "--no-python", "--pyo3-config", "--platform", "--embedded",
                       "--no-search", "--brtl", "Examples:", "Exit status:"] {
            XCTAssertTrue(help.stdout.contains(option), "check --help lacks \(option)")
        }
        let diagnose = try symscan(["diagnose", "--help"])
        for option in ["--format", "--output", "sarif", "junit", "github"] {
            XCTAssertTrue(diagnose.stdout.contains(option), "diagnose --help lacks \(option)")
        }
        for shell in ["bash", "zsh", "fish"] {
            let c = try symscan(["--generate-completion-script", shell])
            XCTAssertEqual(c.status, 0)
            XCTAssertTrue(c.stdout.contains("write-baseline"), "\(shell) completion lacks check's options")
        }
        let manual = try String(contentsOf: Paths.repo.appendingPathComponent("docs/symscan.1"), encoding: .utf8)
        XCTAssertTrue(manual.contains("write\\-baseline") || manual.contains("write-baseline"), "docs/symscan.1 is stale: run scripts/generate-manual")
    }
}
