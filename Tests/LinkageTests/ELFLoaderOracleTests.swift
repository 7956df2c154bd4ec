import Foundation
import ImageLoader
import Linkage
import TestSupport
import XCTest

/// glibc's own loader is the oracle for ELF: for every extension module of the Python
/// installation, the non-weak symbols `diagnose --no-python` leaves unresolved must be exactly
/// the `undefined symbol:` lines of `ldd -r` for that file.
final class ELFLoaderOracleTests: XCTestCase {
    static func pythonModules() throws -> [String] {
        let out = try runTool(which("python3") ?? "/usr/bin/python3", ["-c", """
            import sysconfig, os
            roots = {sysconfig.get_paths()[k] for k in ("platlib", "purelib", "platstdlib")}
            roots.add(os.path.join(sysconfig.get_paths()["platstdlib"], "lib-dynload"))
            for r in sorted(roots):
                for d, _, fs in os.walk(r):
                    for f in fs:
                        if f.endswith(".so"): print(os.path.join(d, f))
            """])
        let files = out.stdout.split(separator: "\n").map(String.init).sorted()
        if files.isEmpty { throw XCTSkip("SKIPPED: no extension modules in the Python installation") }
        return files
    }

    func testUnresolvedEqualsLddR() throws {
        guard let ldd = which("ldd") else { throw XCTSkip("SKIPPED: ldd is not installed") }
        var compared = 0, symbols = 0
        for path in try Self.pythonModules() {
            let r = try runTool(ldd, ["-r", path])
            var theirs = Set<String>()
            for line in r.stdout.split(separator: "\n") + r.stderr.split(separator: "\n") where line.hasPrefix("undefined symbol: ") {
                let rest = line.dropFirst("undefined symbol: ".count)
                guard let tab = rest.firstIndex(of: "\t") else { continue }
                let owner = rest[tab...].trimmingCharacters(in: CharacterSet(charactersIn: "\t ()"))
                if owner == path { theirs.insert(String(rest[..<tab])) }
            }
            var o = DiagnoseOptions(inputs: [path])
            o.python = .none
            o.searchLibraryDirectories = false
            o.environment = ProcessInfo.processInfo.environment
            let result = Diagnoser.run(o)
            let d = try XCTUnwrap(result.diagnosis, "\(path): \(result.errors)")
            let ours = Set(d.unresolved.filter { !$0.weak }.map(\.name))
            if ours != theirs {
                XCTFail("\(path): unresolved differs from ldd -r: only ours \(ours.subtracting(theirs).sorted().prefix(5)), only ldd \(theirs.subtracting(ours).sorted().prefix(5))")
            }
            // On Linux the interpreter provides the C API: such modules are fine.
            if ours.allSatisfy({ $0.hasPrefix("Py") || $0.hasPrefix("_Py") }) {
                XCTAssertTrue(d.verdictOK, "\(path): \(d.findings)")
            }
            compared += 1
            symbols += theirs.count
        }
        XCTAssertGreaterThan(compared, 50)
        XCTAssertGreaterThan(symbols, 1000)
    }

    func testEmbeddedNamesThisMachinesLibpython() throws {
        guard let config = PythonConfig.fromInterpreter("python3"), let name = config.libName, config.sharedLibrary != nil else {
            throw XCTSkip("SKIPPED: this Python has no shared libpython")
        }
        let module = try XCTUnwrap(try Self.pythonModules().first { $0.contains("_json") })
        var o = DiagnoseOptions(inputs: [module])
        o.embedded = true
        o.searchLibraryDirectories = false
        let d = try XCTUnwrap(Diagnoser.run(o).diagnosis)
        XCTAssertFalse(d.verdictOK)
        XCTAssertTrue(d.missingLinkArguments.contains("-l\(name)"), "\(d.missingLinkArguments)")
        XCTAssertTrue(d.missingLinkArguments.contains { $0.hasPrefix("-L") && $0.hasSuffix(config.libDir ?? "?") }, "\(d.missingLinkArguments)")
        XCTAssertTrue(d.findings.contains { $0.id == .libpythonNotLinked })
    }
}
