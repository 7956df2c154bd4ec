import Foundation
import TestSupport
import XCTest

/// Runs the built `symscan` binary as a user would.
final class SymbolsCommandTests: XCTestCase {
    let demo64 = Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path
    let names32 = Paths.testBinaries.appendingPathComponent("xcoff32/names.o").path
    let archive64 = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path

    func symscan(_ args: [String]) throws -> RunResult {
        try runSymscan(args)
    }

    func testTextOutputIsWhatLLVMNMPrints() throws {
        for path in [demo64, names32] {
            let ours = try symscan(["symbols", path])
            XCTAssertEqual(ours.status, 0)
            XCTAssertEqual(ours.stdout, try runTool(llvmNM, ["-a", "--no-sort", path]).stdout, path)
        }
    }

    func testFiltersMatchLLVMNM() throws {
        let ours = try symscan(["symbols", "--undefined-only", demo64]).stdout
        XCTAssertEqual(ours, try runTool(llvmNM, ["-u", "--no-sort", demo64]).stdout)
        let external = try symscan(["symbols", "-g", demo64]).stdout
        XCTAssertEqual(external, try runTool(llvmNM, ["-g", "--no-sort", demo64]).stdout)
        let defined = try symscan(["symbols", "--defined-only", "-g", demo64]).stdout
        XCTAssertEqual(defined, try runTool(llvmNM, ["--defined-only", "-g", "--no-sort", demo64]).stdout)
    }

    func testJSONCarriesTheContractKeys() throws {
        let r = try symscan(["symbols", "--format", "json", demo64, archive64])
        XCTAssertEqual(r.status, 0, r.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["schemaVersion"] as? Int, 1)
        let files = try XCTUnwrap(root["files"] as? [[String: Any]])
        XCTAssertEqual(files.count, 3)
        XCTAssertEqual(files[0]["format"] as? String, "xcoff64")
        XCTAssertEqual(files[0]["kind"] as? String, "object")
        XCTAssertNil(files[0]["member"])
        XCTAssertEqual(files[1]["member"] as? String, "names.o")
        XCTAssertEqual(files[2]["member"] as? String, "demo.o")
        XCTAssertEqual(files[1]["path"] as? String, archive64)
        let symbols = try XCTUnwrap(files[0]["symbols"] as? [[String: Any]])
        let printErr = try XCTUnwrap(symbols.first { $0["name"] as? String == ".PyErr_Print" })
        XCTAssertEqual(printErr["defined"] as? Bool, false)
        XCTAssertEqual(printErr["binding"] as? String, "global")
        XCTAssertEqual(printErr["type"] as? String, "function")
        XCTAssertEqual(printErr["storageClass"] as? String, "C_EXT")
        XCTAssertEqual(printErr["symbolType"] as? String, "XTY_ER")
        XCTAssertEqual(printErr["mappingClass"] as? String, "XMC_PR")
        let weak = try XCTUnwrap(symbols.first { $0["name"] as? String == "demo_tuning" })
        XCTAssertEqual(weak["binding"] as? String, "weak")
        XCTAssertEqual(weak["storageClass"] as? String, "C_WEAKEXT")
        let file = try XCTUnwrap(symbols.first { $0["type"] as? String == "file" })
        XCTAssertEqual(file["storageClass"] as? String, "C_FILE")
    }

    func testABadFileIsReportedAndTheOthersAreStillListed() throws {
        let dir = try TempDir()
        var bytes = try readBytes(demo64)
        let good = try dir.write("good.o", bytes)
        bytes.removeLast(bytes.count - 100)
        let cut = try dir.write("cut.o", bytes)
        let text = try dir.write("notes.txt", Array("hello\nworld\n".utf8))
        let empty = try dir.write("empty.o", [])
        let r = try symscan(["symbols", cut, good, text, empty, dir.url.appendingPathComponent("missing.o").path])
        XCTAssertEqual(r.status, 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "symscan: \(cut): truncated XCOFF section headers: 3 entries of 72 bytes need 216 bytes, 76 left in the file (at byte offset 24)",
            "symscan: \(text): not an object file: looks like a text file",
            "symscan: \(empty): empty file",
            "symscan: \(dir.url.path)/missing.o: no such file or directory",
        ])
        XCTAssertTrue(r.stdout.contains(".PyErr_Print"), "the good file is still listed")
    }

    func testJSONListsErrorsToo() throws {
        let dir = try TempDir()
        let bad = try dir.write("bad.o", [0x01, 0xDF, 0, 1])
        let r = try symscan(["symbols", "--format", "json", bad, demo64])
        XCTAssertEqual(r.status, 2)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((root["files"] as? [Any])?.count, 1)
        let errors = try XCTUnwrap(root["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.first?["path"] as? String, bad)
        XCTAssertTrue((errors.first?["message"] as? String ?? "").contains("truncated XCOFF32 file header"))
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try symscan(["symbols", "--undefined-only", "--defined-only", demo64]).status, 2)
        XCTAssertEqual(try symscan(["symbols"]).status, 2)
        XCTAssertEqual(try symscan(["symbols", "--format", "yaml", demo64]).status, 2)
        XCTAssertEqual(try symscan(["symbols", "--help"]).status, 0)
    }

    func testDynamicViewOfAnExtensionModuleLinkedAgainstLibpython() throws {
        let so = try Paths.real("aix-fixtures/_demo64.libpython.so").path
        let r = try symscan(["symbols", "--dynamic", "--format", "json", so])
        XCTAssertEqual(r.status, 0, r.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let file = try XCTUnwrap((root["files"] as? [[String: Any]])?.first)
        let loader = try XCTUnwrap(file["loader"] as? [String: Any])
        XCTAssertEqual(loader["libraryPath"] as? String, "lib64:/usr/lib:/lib")
        let ids = try XCTUnwrap(loader["importFiles"] as? [[String: String]])
        XCTAssertEqual(ids, [["path": "", "base": "libpython3.9.a", "member": "libpython3.9.so"]])
        let imports = try XCTUnwrap(loader["imports"] as? [[String: Any]])
        XCTAssertEqual(imports.count, 31)
        XCTAssertTrue(imports.allSatisfy { $0["module"] as? String == "libpython3.9.a(libpython3.9.so)" })
        XCTAssertEqual((loader["exports"] as? [[String: String]])?.map { $0["name"] }, ["PyInit__demo"])

        let berok = try symscan(["symbols", "-D", try Paths.real("aix-fixtures/_demo64.berok.so").path])
        XCTAssertTrue(berok.stdout.contains("U PyErr_SetString [no module]"), berok.stdout)
    }

    func testImportExportListsAreListed() throws {
        let exp = try Paths.real("aix-fixtures/python.exp").path
        let r = try symscan(["symbols", "-D", exp])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("I PyErr_Print [.]"), String(r.stdout.prefix(300)))
    }
}
