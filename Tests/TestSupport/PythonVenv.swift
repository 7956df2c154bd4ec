import Foundation
import XCTest

/// A virtual environment with tools from PyPI that tests compare against (abi3audit,
/// auditwheel). Made once per set of pinned requirements under the temporary directory and
/// reused by later runs; a test that cannot have it (no python3, PyPI unreachable) is skipped
/// with a visible "SKIPPED: reason".
public enum PythonVenv {
    /// The venv's `bin` directory, with `requirements` installed.
    public static func bin(_ requirements: [String]) throws -> URL {
        guard let python = which("python3") else { throw XCTSkip("SKIPPED: no python3 to make a virtual environment") }
        let name = requirements.joined(separator: "_").replacingOccurrences(of: "=", with: "")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("symscan-test-venv-\(name)")
        let bin = dir.appendingPathComponent("bin")
        let done = dir.appendingPathComponent("installed")
        if FileManager.default.fileExists(atPath: done.path) { return bin }
        try? FileManager.default.removeItem(at: dir)
        let made = try runTool(python, ["-m", "venv", dir.path])
        guard made.status == 0 else { throw XCTSkip("SKIPPED: python3 -m venv failed: \(made.stderr.suffix(300))") }
        let pip = try runTool(bin.appendingPathComponent("pip").path, ["install", "--quiet", "--disable-pip-version-check"] + requirements)
        guard pip.status == 0 else { throw XCTSkip("SKIPPED: pip install \(requirements.joined(separator: " ")) failed (PyPI unreachable?): \(pip.stderr.suffix(300))") }
        try Data().write(to: done)
        return bin
    }

    /// Downloads the binary wheels of `specs` (no dependencies) into `dir`; the files, or a skip.
    public static func downloadWheels(_ specs: [String], into dir: URL, pip: URL) throws -> [String] {
        let r = try runTool(pip.path, ["download", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:", "--no-deps",
                                       "--dest", dir.path] + specs)
        guard r.status == 0 else { throw XCTSkip("SKIPPED: pip download \(specs.joined(separator: " ")) failed (PyPI unreachable?): \(r.stderr.suffix(300))") }
        return (try FileManager.default.contentsOfDirectory(atPath: dir.path)).filter { $0.hasSuffix(".whl") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }
}
