import Check
import Foundation
@testable import Linkage
import MappedFile
import Reports
import TestSupport
import XCTest

/// The gate's parts on their own: the zip reader, globs, the JSON reader, baselines and the
/// finding filter.
final class CheckUnitTests: XCTestCase {
    func python(_ script: String) throws {
        let r = try runTool(which("python3") ?? "/usr/bin/python3", ["-c", script])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testZipReaderMatchesPythonZipfile() throws {
        let dir = try TempDir()
        let zip = dir.url.appendingPathComponent("t.zip").path
        // Deflated, stored, empty, a directory, a large compressible member, and a comment.
        try python("""
            import zipfile, os
            with zipfile.ZipFile('\(zip)', 'w') as z:
                z.writestr('a/deflated.bin', bytes(range(256)) * 50, compress_type=zipfile.ZIP_DEFLATED)
                z.writestr('a/stored.txt', b'hello stored', compress_type=zipfile.ZIP_STORED)
                z.writestr('empty', b'', compress_type=zipfile.ZIP_DEFLATED)
                z.writestr('dir/', b'')
                z.writestr('big', os.urandom(1000) * 3000, compress_type=zipfile.ZIP_DEFLATED)
                z.comment = b'a zip comment'
            """)
        let archive = try ZipArchive(path: zip)
        XCTAssertEqual(archive.entries.map(\.name), ["a/deflated.bin", "a/stored.txt", "empty", "dir/", "big"])
        XCTAssertTrue(archive.entries[3].isDirectory)
        let deflated = try archive.contents(archive.entries[0])
        XCTAssertEqual(Array(deflated.rawBytes), Array((0..<50).flatMap { _ in (0..<256).map { UInt8($0) } }))
        XCTAssertEqual(String(decoding: try archive.contents(archive.entries[1]).rawBytes, as: UTF8.self), "hello stored")
        XCTAssertEqual(try archive.contents(archive.entries[2]).count, 0)
        XCTAssertEqual(try archive.contents(archive.entries[4]).count, 3_000_000)
    }

    func testZip64IsRead() throws {
        let dir = try TempDir()
        let zip = dir.url.appendingPathComponent("z64.zip").path
        try python("""
            import zipfile
            with zipfile.ZipFile('\(zip)', 'w', allowZip64=True) as z:
                with z.open('m.so', 'w', force_zip64=True) as f:
                    f.write(b'x' * 1000)
            """)
        let archive = try ZipArchive(path: zip)
        XCTAssertEqual(archive.entries.first?.size, 1000)
        XCTAssertEqual(try archive.contents(archive.entries[0]).count, 1000)
    }

    func testDamagedZipsAreErrorsNotCrashes() throws {
        let dir = try TempDir()
        let zip = dir.url.appendingPathComponent("t.zip").path
        try python("""
            import zipfile
            with zipfile.ZipFile('\(zip)', 'w') as z:
                z.writestr('m.so', bytes(range(256)) * 40, compress_type=zipfile.ZIP_DEFLATED)
                z.writestr('s.so', b'stored bytes', compress_type=zipfile.ZIP_STORED)
            """)
        let good = try readBytes(zip)
        // Every truncation: an error from the reader, or members that fail their CRC/inflate.
        for cut in stride(from: 0, to: good.count, by: 7) {
            let path = try dir.write("cut.zip", Array(good.prefix(cut)))
            if let a = try? ZipArchive(path: path) {
                for e in a.entries { _ = try? a.contents(e) }
            }
        }
        // Every single-byte corruption of the first 400 bytes: never a trap.
        var failures = 0
        for i in 0..<min(400, good.count) {
            var bad = good
            bad[i] ^= 0x5A
            let path = try dir.write("bad.zip", bad)
            guard let a = try? ZipArchive(path: path) else { failures += 1; continue }
            for e in a.entries {
                do { _ = try a.contents(e) } catch { failures += 1 }
            }
        }
        XCTAssertGreaterThan(failures, 100, "corruption is noticed")
        var crc = good
        crc[40] ^= 0xFF  // inside the deflated data of m.so
        let a = try ZipArchive(path: try dir.write("crc.zip", crc))
        XCTAssertThrowsError(try a.contents(a.entries[0]))
        XCTAssertThrowsError(try ZipArchive(path: try dir.write("tiny.zip", Array("PK".utf8))))
    }

    func testAllowGlobs() {
        let allow = AllowList([".Py*", "omp_[gs]et_*", "__gmon_start__"])
        XCTAssertTrue(allow.allows(".PyErr_Print"))
        XCTAssertFalse(allow.allows("PyErr_Print"))
        XCTAssertTrue(allow.allows("omp_get_num_threads"))
        XCTAssertFalse(allow.allows("omp_in_parallel"))
        XCTAssertTrue(allow.allows("__gmon_start__"))
        XCTAssertTrue(AllowList(["*"]).allows("a/b"), "no special meaning for /")
    }

    func testJSONReader() throws {
        let v = try JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00"} "#)
        XCTAssertEqual(v["a"], .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        XCTAssertEqual(v["s"]?.string, "x\"\\/\né😀")
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "\"abc", "tru", "1 2", "{\"a\":1,}"] {
            XCTAssertThrowsError(try JSONValue.parse(bad), bad)
        }
        XCTAssertThrowsError(try JSONValue.parse(String(repeating: "[", count: 10000)))
    }

    func module(_ key: String, _ findings: [Finding]) -> ModuleResult {
        var d = Diagnosis(platform: .linux, embedded: false)
        d.findings = findings
        return ModuleResult(path: "root/" + key, key: key, diagnosis: d)
    }

    func testBaselineRoundTripAndFilter() throws {
        let m = module("pkg/_m.so", [
            Finding(id: .unresolvedSymbols, severity: .error, message: "2 symbols", symbols: ["b_sym", "a \"quoted\" sym"]),
            Finding(id: .missingPyInit, severity: .error, message: "no PyInit"),
            Finding(id: .weakUnresolved, severity: .note, message: "weak", symbols: ["w"]),
        ])
        let baseline = Baseline(recording: [m], threshold: .error)
        XCTAssertEqual(baseline.modules["pkg/_m.so"]?.map(\.id), ["missing-pyinit", "unresolved-symbols"], "sorted; notes left out")
        let dir = try TempDir()
        let path = try dir.write("b.json", Array(baseline.render().utf8))
        XCTAssertEqual(SchemaCheck.assertValid(baseline.render()), "baseline")
        XCTAssertEqual(try Baseline.read(path: path), baseline)
        XCTAssertEqual(Baseline().render(), "{\n  \"schemaVersion\": 2,\n  \"kind\": \"symscan-baseline\",\n  \"modules\": []\n}\n")

        // The same findings are accepted; a new symbol and a new finding are not.
        var same = m
        FindingFilter(allow: AllowList([]), baseline: baseline).apply(to: &same)
        XCTAssertEqual(same.findings.map(\.id.rawValue), ["weak-unresolved"])
        XCTAssertEqual(same.baselined, 2)
        var grown = module("pkg/_m.so", [
            Finding(id: .unresolvedSymbols, severity: .error, message: "3 symbols", symbols: ["a \"quoted\" sym", "b_sym", "c_new"]),
            Finding(id: .linksLibpython, severity: .warning, message: "links"),
        ])
        FindingFilter(allow: AllowList([]), baseline: baseline).apply(to: &grown)
        XCTAssertEqual(grown.findings.map(\.symbols), [["c_new"], []])
        XCTAssertTrue(grown.findings[0].message.hasSuffix("[2 in the baseline; new: c_new]"))
        // Another module's baseline does not apply.
        var other = module("pkg/_other.so", m.findings)
        FindingFilter(allow: AllowList([]), baseline: baseline).apply(to: &other)
        XCTAssertEqual(other.findings.count, 3)
    }

    /// A baseline written before keys named wheels without their version (schemaVersion 1):
    /// read with its wheel keys converted; refused with several roots; a newer one refused.
    func testVersion1BaselineKeysAreConverted() throws {
        let v1 = """
            {"schemaVersion": 1, "kind": "symscan-baseline", "modules": [
              {"path": "mypkg-1.0-cp311-cp311-linux_x86_64.whl!mypkg/_x.so", "findings": [{"id": "unresolved-symbols", "symbols": ["a"]}]},
              {"path": "mypkg-1.2-cp311-cp311-linux_x86_64.whl!mypkg/_x.so", "findings": [{"id": "unresolved-symbols", "symbols": ["b"]}]},
              {"path": "dist/sub/mypkg-1.1-2-cp311-cp311-linux_x86_64.whl!mypkg/_y.so", "findings": [{"id": "missing-pyinit", "symbols": []}]},
              {"path": "odd.whl!pkg/_m.so", "findings": [{"id": "missing-pyinit", "symbols": []}]},
              {"path": "pkg/_m.so", "findings": [{"id": "missing-pyinit", "symbols": []}]}
            ]}
            """
        XCTAssertEqual(SchemaCheck.assertValid(v1), "baseline")
        let dir = try TempDir()
        let path = try dir.write("v1.json", Array(v1.utf8))
        let b = try Baseline.read(path: path)
        XCTAssertEqual(b.modules.keys.sorted(), [
            "dist/sub/mypkg-cp311-cp311-linux_x86_64.whl!mypkg/_y.so",
            "mypkg-cp311-cp311-linux_x86_64.whl!mypkg/_x.so",
            "odd.whl!pkg/_m.so",  // not a wheel name that parses: kept whole, as the finder keeps it
            "pkg/_m.so",
        ])
        XCTAssertEqual(b.modules["mypkg-cp311-cp311-linux_x86_64.whl!mypkg/_x.so"]?.map(\.symbols), [["a"], ["b"]], "two releases merge")
        XCTAssertTrue(b.render().hasPrefix("{\n  \"schemaVersion\": 2,"), "written again as version 2")

        XCTAssertThrowsError(try Baseline.read(path: path, severalRoots: true)) { e in
            XCTAssertTrue("\(e)".contains("schemaVersion 1 keys each module by its path relative to its PATH"), "\(e)")
        }
        let v2 = try dir.write("v2.json", Array(b.render().utf8))
        XCTAssertEqual(try Baseline.read(path: v2, severalRoots: true), b, "version 2 keys are read as written")
        let v3 = try dir.write("v3.json", Array(v1.replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 3").utf8))
        XCTAssertThrowsError(try Baseline.read(path: v3)) { e in
            XCTAssertTrue("\(e)".contains("a baseline of schemaVersion 3, which this symscan does not read (it reads 1 and 2)"), "\(e)")
        }
    }

    /// Keys as the finder makes them: relative to a lone root, the reported path with several,
    /// a wheel named without its version either way; and the keys two candidates share.
    func testModuleKeys() throws {
        let dir = try TempDir()
        let a1 = dir.url.appendingPathComponent("a1").path
        try FileManager.default.createDirectory(atPath: a1 + "/pkg", withIntermediateDirectories: true)
        let module = try dir.write("a1/pkg/_m.so", Array("named like a module: a candidate".utf8))
        let dist = dir.url.appendingPathComponent("dist").path
        try FileManager.default.createDirectory(atPath: dist, withIntermediateDirectories: true)
        let wheel = dist + "/mypkg-1.0-cp311-cp311-linux_x86_64.whl"
        try python("""
            import zipfile
            with zipfile.ZipFile('\(wheel)', 'w') as z:
                z.writestr('mypkg/_x.so', b'member')
            """)
        func keys(_ roots: [String]) -> [String] { ModuleFinder(roots: roots).candidates.map(\.key) }
        let member = "mypkg-cp311-cp311-linux_x86_64.whl!mypkg/_x.so"

        XCTAssertEqual(keys([a1]), ["pkg/_m.so"])
        XCTAssertEqual(keys([module]), ["_m.so"])
        XCTAssertEqual(keys([dist]), [member])
        XCTAssertEqual(keys([wheel]), [member])
        XCTAssertEqual(keys([a1 + "/", dist]), [a1 + "/pkg/_m.so", dist + "/" + member])
        XCTAssertEqual(keys([wheel, module]), [dist + "/" + member, module])
        XCTAssertEqual(ModuleFinder(roots: [wheel]).candidates.map(\.path), [wheel + "!mypkg/_x.so"], "reported with its version")

        XCTAssertTrue(ModuleFinder(roots: [a1, dist]).sharedKeys.isEmpty)
        let shared = ModuleFinder(roots: [a1, dist, a1 + "/"]).sharedKeys
        XCTAssertEqual(shared.map(\.key), [a1 + "/pkg/_m.so"])
        XCTAssertEqual(shared.first?.paths, [module, module])
    }

    func testAllowNarrowsAndDrops() {
        var m = module("_m.so", [
            Finding(id: .unresolvedSymbols, severity: .error, message: "3 symbols", symbols: ["omp_a", "omp_b", "zz"]),
            Finding(id: .libpythonNotLinked, severity: .error, message: "py", symbols: [".PyErr_Print"]),
        ])
        FindingFilter(allow: AllowList(["omp_*", ".Py*"]), baseline: nil).apply(to: &m)
        XCTAssertEqual(m.findings.map(\.id.rawValue), ["unresolved-symbols"])
        XCTAssertEqual(m.findings[0].symbols, ["zz"])
        XCTAssertEqual(m.allowedSymbols, 3)
        XCTAssertTrue(m.failed(.error))
        XCTAssertEqual(m.status(.error), .fail)
        XCTAssertEqual(m.diagnosis?.verdictOK, false)
    }

    func testReportEscaping() {
        XCTAssertEqual(SARIFReport.uri("dist/x.whl!pkg/_m.so"), "dist/x.whl!pkg/_m.so")
        XCTAssertEqual(SARIFReport.uri("/tmp/a b/é.so"), "file:///tmp/a%20b/%C3%A9.so")
        XCTAssertEqual(GitHubReport.data("50%\nnext"), "50%25%0Anext")
        XCTAssertEqual(GitHubReport.property("a:b,c"), "a%3Ab%2Cc")
        XCTAssertEqual(JUnitReport.escape("<a & \"b\">\u{1}"), "&lt;a &amp; &quot;b&quot;&gt;")
    }
}
