import Foundation
import Linkage
import TestSupport
import XCTest

/// Real extension code from PyPI sdists compiled for AIX (TestBinaries/aix-pypi, 64- and 32-bit)
/// linked with GNU ld for AIX in the ways a build does it: the full link, without libpython, with
/// CPython's `-bI:python.exp`, with `-berok`, and without the C library. For every link
/// `link-line` must agree with ld: the exit status, the names ld reports undefined, and where it
/// suggests arguments, the relink with exactly those succeeds and `link-line` then says OK.
final class AIXPyPILinkTests: XCTestCase {
    static let pypi = Paths.testBinaries.appendingPathComponent("aix-pypi")
    static let example = Paths.testBinaries.appendingPathComponent("aix-example")

    /// The modules: one object each, mmh3 from its two objects.
    static func modules(_ bits: Int) -> [(name: String, objects: [String])] {
        let dir = pypi.appendingPathComponent("xcoff\(bits)")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".o") }.sorted()
        var out: [(String, [String])] = []
        for f in files where f != "mmh3.murmurhash3.o" {
            let stem = String(f.dropLast(2).split(separator: ".").last ?? "")
            let module = stem == "mmh3module" ? "mmh3" : stem
            var objects = [dir.appendingPathComponent(f).path]
            if f == "mmh3.mmh3module.o" { objects.append(dir.appendingPathComponent("mmh3.murmurhash3.o").path) }
            out.append((module, objects))
        }
        return out
    }

    func testPyPIModulesAgainstGNULdForAIX() throws {
        let ld = try AIXLinkOrderTests.aixLinker()
        let dir = try TempDir()
        let libc = Self.pypi.appendingPathComponent("libc.exp").path
        let lib64 = Self.example.appendingPathComponent("lib64").path
        let pythonExp = Self.example.appendingPathComponent("python.exp").path
        var agreed = 0, total = 0
        for bits in [64, 32] {
            for (module, objects) in Self.modules(bits) {
                let out = "\(dir.url.path)/\(module).so"
                let base = [ld, "-b\(bits)", "-bM:SRE", "-bnoentry", "-bexpall", "-nostdlib", "-o", out] + objects
                var modes: [(String, [String])] = [("no libpython", ["-bI:\(libc)"]), ("-bI:python.exp", ["-bI:\(libc)", "-bI:\(pythonExp)"]),
                                                   ("-berok", ["-bI:\(libc)", "-berok"]), ("no C library", ["-bI:\(pythonExp)"])]
                // The stand-in libpython is 64-bit only.
                if bits == 64 { modes += [("full link", ["-bI:\(libc)", "-L\(lib64)", "-lpython3.9"]), ("no -l, -L to libpython", ["-bI:\(libc)", "-L\(lib64)"])] }
                for (mode, extra) in modes {
                    let line = base + extra
                    let label = "\(bits)-bit \(module): \(mode)"
                    let real = try runTool(line[0], Array(line.dropFirst()))
                    let theirs = Set(CommandLineText(parsing: real.stderr).undefinedInErrors)
                    let d = try replay(line)
                    total += 1
                    XCTAssertEqual(d.verdictOK, real.status == 0, "\(label): ld \(real.status) \(real.stderr.prefix(400)); symscan \(d.findings)")
                    if mode != "-berok" {
                        let ours = Set(d.unresolved.filter { !$0.weak }.map(\.name))
                        XCTAssertEqual(ours, theirs, "\(label): only symscan \(ours.subtracting(theirs).sorted()), only ld \(theirs.subtracting(ours).sorted())")
                    }
                    if d.verdictOK == (real.status == 0) { agreed += 1 }
                    guard !d.verdictOK, !d.missingLinkArguments.isEmpty else { continue }
                    let fixed = line + d.missingLinkArguments
                    let relinked = try runTool(fixed[0], Array(fixed.dropFirst()))
                    XCTAssertEqual(relinked.status, 0, "\(label): with \(d.missingLinkArguments): \(relinked.stderr.prefix(400))")
                    XCTAssertTrue(try replay(fixed).verdictOK, "\(label): relinked, symscan still fails")
                }
            }
        }
        print("AIXPyPILinkTests: link-line agrees with GNU ld for AIX in \(agreed) of \(total) links")
        XCTAssertGreaterThan(total, 30)
    }

    func replay(_ line: [String]) throws -> Diagnosis {
        var o = DiagnoseOptions(inputs: [])
        o.python = .pyo3Config(Self.example.appendingPathComponent("pyo3-aix.cfg").path)
        let r = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: line.joined(separator: " ")), base: o))
        XCTAssertEqual(r.diagnose.errors.map(\.description), [])
        return try XCTUnwrap(r.diagnose.diagnosis)
    }
}
