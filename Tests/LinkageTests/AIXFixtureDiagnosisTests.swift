import Foundation
import ImageLoader
import Linkage
import TestSupport
import XCTest

/// The linked AIX fixtures (TestBinaries/real/aix-fixtures) and the bundled example: the verdicts and
/// imports their README describes.
final class AIXFixtureDiagnosisTests: XCTestCase {
    func diagnose(_ files: [String], _ configure: (inout DiagnoseOptions) -> Void = { _ in }) throws -> Diagnosis {
        var o = DiagnoseOptions(inputs: files)
        o.python = .none
        o.searchLibraryDirectories = false
        o.moduleName = "_demo"
        configure(&o)
        let r = Diagnoser.run(o)
        XCTAssertEqual(r.errors.map(\.description), [])
        return try XCTUnwrap(r.diagnosis)
    }

    func fixture(_ name: String) throws -> String { try Paths.real("aix-fixtures/\(name)").path }

    func testCorrectLinkIsOK() throws {
        let dir = try Paths.real("aix-fixtures")
        // The loader's library path is `lib64:/usr/lib:/lib`, relative to where the link ran.
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        for name in ["_demo64.libpython.so", "_demo64.libpython-brtl.so"] {
            let d = try diagnose([try fixture(name)])
            XCTAssertTrue(d.verdictOK, "\(name): \(d.findings)")
            XCTAssertEqual(d.unresolved.filter { !$0.weak }.map(\.name), [], name)
            XCTAssertEqual(d.platform, .aix)
            let libpython = try XCTUnwrap(d.libraries.first { $0.name == "libpython3.9.a(libpython3.9.so)" })
            XCTAssertTrue(libpython.linked)
            XCTAssertEqual(libpython.provides, 31)
        }
    }

    func testImportFileFromMainProgramWarnsAndFailsWhenEmbedded() throws {
        let d = try diagnose([try fixture("_demo64.importfile.so")])
        XCTAssertTrue(d.verdictOK)
        XCTAssertEqual(d.findings.first { $0.id == .importsFromMainProgram }?.severity, .warning)
        let embedded = try diagnose([try fixture("_demo64.importfile.so")]) { $0.embedded = true }
        XCTAssertFalse(embedded.verdictOK)
        XCTAssertEqual(embedded.findings.first { $0.id == .importsFromMainProgram }?.severity, .error)
    }

    func testBerokLinkLeavesThePythonSymbolsToNobody() throws {
        let d = try diagnose([try fixture("_demo64.berok.so")])
        XCTAssertFalse(d.verdictOK)
        XCTAssertEqual(d.unresolved.count, 31)
        XCTAssertTrue(d.unresolved.allSatisfy(\.pythonAPI))
        XCTAssertEqual(d.findings.first?.id, .libpythonNotLinked)
        // Given the library, everything resolves.
        let fixed = try diagnose([try fixture("_demo64.berok.so")]) {
            $0.libraryFiles = [try! Paths.real("aix-fixtures/lib64/libpython3.9.a").path]
        }
        XCTAssertTrue(fixed.verdictOK, "\(fixed.findings)")
    }

    /// The failing link: the same 31 symbols GNU ld reported (`undefined reference to` lines).
    func testUndefinedObjectMatchesTheFailedLinksErrors() throws {
        let errors = try String(contentsOf: try Paths.real("aix-fixtures/_demo64.undefined.ld-error.txt"), encoding: .utf8)
        var theirs = Set<String>()
        for line in errors.split(separator: "\n") {
            guard let open = line.range(of: "undefined reference to `"), let close = line.lastIndex(of: "'") else { continue }
            theirs.insert(String(line[open.upperBound..<close]))
        }
        XCTAssertEqual(theirs.count, 31)
        let d = try diagnose([try fixture("obj/demo64.o")])
        XCTAssertEqual(Set(d.unresolved.map(\.name)), theirs)
        XCTAssertFalse(d.verdictOK)
    }

    func testBundledExampleNamesTheFix() throws {
        let dir = Paths.testBinaries.appendingPathComponent("aix-example")
        let d = try diagnose([dir.appendingPathComponent("demo64.o").path]) {
            $0.python = .pyo3Config(dir.appendingPathComponent("pyo3-aix.cfg").path)
        }
        XCTAssertFalse(d.verdictOK)
        XCTAssertEqual(d.unresolved.count, 31)
        XCTAssertTrue(d.unresolved.allSatisfy { $0.providers == ["libpython3.9.a(libpython3.9.so)"] })
        let lib64 = dir.appendingPathComponent("lib64").resolvingSymlinksInPath().path
        XCTAssertEqual(d.missingLinkArguments, ["-L\(lib64)", "-lpython3.9"])
    }

    func testImportListAsInputResolvesButWarns() throws {
        let d = try diagnose([try fixture("obj/demo64.o"), try fixture("python.exp")])
        XCTAssertEqual(d.unresolved.count, 0)
        XCTAssertTrue(d.verdictOK)
        XCTAssertNotNil(d.findings.first { $0.id == .importsFromMainProgram })
    }

    func testMixedWidthsAreNamed() throws {
        let o32 = Paths.testBinaries.appendingPathComponent("xcoff32/names.o").path
        let o64 = Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path
        let o64b = Paths.testBinaries.appendingPathComponent("xcoff64/names.o").path
        let d = try diagnose([o64, o32, o64b]) { $0.moduleName = nil }
        let f = try XCTUnwrap(d.findings.first { $0.id == .mixedXCOFFWidth })
        XCTAssertTrue(f.message.contains("xcoff32/names.o is 32-bit"), f.message)
        XCTAssertTrue(f.message.contains("OBJECT_MODE=64"), f.message)
    }

    /// AIX ld in 64-bit mode takes only 64-bit members from an archive (libc.a holds both):
    /// a 32-bit member resolves nothing, the inputs are not "mixed", and a note says why the
    /// archive did not help.
    func testArchiveMembersOfTheOtherWidthAreSkipped() throws {
        let uses = Paths.testBinaries.appendingPathComponent("xcoff64/uses_names.o").path
        let a32 = Paths.testBinaries.appendingPathComponent("xcoff32/libnames.a").path
        let d = try diagnose([uses, a32]) { $0.moduleName = nil }
        XCTAssertEqual(d.inputs.map(\.path), [uses])
        XCTAssertEqual(d.unresolved.map(\.name), [".a_defined_function_with_long_name"])
        XCTAssertNil(d.findings.first { $0.id == .mixedXCOFFWidth }, "\(d.findings)")
        let note = try XCTUnwrap(d.findings.first { $0.id == .archiveMemberSkipped })
        XCTAssertEqual(note.severity, .note)
        XCTAssertTrue(note.message.contains("libnames.a(names.o) defines .a_defined_function_with_long_name but is XCOFF32"), note.message)
        XCTAssertTrue(note.message.contains("OBJECT_MODE=64"), note.message)
        // The same archive built 64-bit resolves it.
        let a64 = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path
        let ok = try diagnose([uses, a64]) { $0.moduleName = nil }
        XCTAssertFalse(ok.unresolved.contains { $0.name == ".a_defined_function_with_long_name" })
    }

    func testArchiveMembersArePulledOnlyWhenNeeded() throws {
        // names.o references nothing in demo.o and vice versa: linking demo.o with the archive
        // pulls in no member.
        let demo = Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path
        let archive = Paths.testBinaries.appendingPathComponent("xcoff64/libnames.a").path
        let d = try diagnose([demo, archive]) { $0.moduleName = nil }
        XCTAssertEqual(d.inputs.count, 1)
        // uses_names.o calls into names.o: that member comes in, with its own references.
        let uses = Paths.testBinaries.appendingPathComponent("xcoff64/uses_names.o").path
        let pulled = try diagnose([uses, archive]) { $0.moduleName = nil }
        XCTAssertEqual(pulled.inputs.map { $0.member ?? "" }, ["", "names.o"])
        // The entry point `.weak_reference_maybe_missing` is called and its descriptor's address
        // taken: the AIX linker reports each form, so both are listed (one reference key).
        XCTAssertEqual(Set(pulled.unresolved.map(\.name)),
                       [".an_external_with_a_really_long_name_for_the_string_table", ".short8ch",
                        ".weak_reference_maybe_missing", "weak_reference_maybe_missing"])
        XCTAssertTrue(pulled.unresolved.filter { $0.name.contains("weak") }.allSatisfy(\.weak))
    }

    /// A function both called and used by address (a type slot) is one symbol, reported as
    /// the entry point the AIX linker names (`.PyObject_GenericGetAttr`).
    /// clang lists `.PyObject_GenericGetAttr` and `PyObject_GenericGetAttr` undefined (llvm-nm),
    /// but only the address is used (the one relocation, GNU objdump -r): GNU ld for AIX reports
    /// `PyObject_GenericGetAttr`, without the dot (AIXPyPILinkTests checks every module against it).
    func testAddressTakenFunctionIsReportedWithoutTheDot() throws {
        let obj = Paths.testBinaries.appendingPathComponent("aix-pypi/xcoff64/bitarray._util.o").path
        let nm = try runTool(llvmNM, [obj])
        XCTAssertTrue(nm.stdout.contains(" U .PyObject_GenericGetAttr"), nm.stdout)
        let rel = try runTool("/usr/bin/objdump", ["-r", "-b", "aix5coff64-rs6000", obj])
        let uses = rel.stdout.split(separator: "\n").filter { $0.hasSuffix(" PyObject_GenericGetAttr") || $0.hasSuffix(" .PyObject_GenericGetAttr") }
        XCTAssertEqual(uses.count, 1, "\(uses)")
        let d = try diagnose([obj]) { $0.moduleName = nil }
        let names = d.unresolved.map(\.name)
        XCTAssertTrue(names.contains("PyObject_GenericGetAttr"), "\(names)")
        XCTAssertFalse(names.contains(".PyObject_GenericGetAttr"), "\(names)")
    }

    func testWidthMismatchIsExplained() throws {
        let obj = Paths.testBinaries.appendingPathComponent("aix-pypi/xcoff32/crcmod._crcfunext.o").path
        let cfg = Paths.testBinaries.appendingPathComponent("aix-example/pyo3-aix.cfg").path
        let d = try diagnose([obj]) { $0.python = .pyo3Config(cfg); $0.moduleName = nil }
        let note = try XCTUnwrap(d.findings.first { $0.id == .libpythonNotFound })
        XCTAssertTrue(note.message.contains("has only XCOFF64 content; the target is XCOFF32"), note.message)
        XCTAssertTrue(note.message.contains("OBJECT_MODE=64"), note.message)
    }
}
