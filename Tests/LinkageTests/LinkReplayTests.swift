import Foundation
import Linkage
import TestSupport
import XCTest

/// Link lines replayed on real inputs: AIX lines over our XCOFF objects and archives, and ELF
/// lines that the real linker (gcc + GNU ld) runs here as the oracle.
final class LinkReplayTests: XCTestCase {
    let bins = Paths.testBinaries
    var lib64: String { bins.appendingPathComponent("aix-example/lib64").path }
    var demo64: String { bins.appendingPathComponent("xcoff64/demo.o").path }

    func replay(_ text: String, _ configure: (inout DiagnoseOptions) -> Void = { _ in }) throws -> Diagnosis {
        var base = DiagnoseOptions(inputs: [])
        base.python = .none
        configure(&base)
        let r = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: text), base: base))
        XCTAssertEqual(r.diagnose.errors.map(\.description), [])
        return try XCTUnwrap(r.diagnose.diagnosis)
    }

    func testAIXLinkWithoutLibpythonFindsItOnTheLibraryPath() throws {
        let d = try replay("ld -b64 -bM:SRE -bnoentry -o _demo.so \(demo64) -L\(lib64)")
        XCTAssertEqual(d.platform, .aix)
        XCTAssertFalse(d.verdictOK)
        XCTAssertEqual(d.unresolved.count, 11)
        XCTAssertTrue(d.unresolved.allSatisfy { $0.providers == ["libpython3.9.a(libpython3.9.so)"] })
        // The -L is on the line already: not suggested again.
        XCTAssertEqual(d.missingLinkArguments, ["-lpython3.9"])
    }

    func testAIXLinkWithLibpythonIsOK() throws {
        let d = try replay("ld -b64 -bM:SRE -bnoentry -o _demo.so \(demo64) -L\(lib64) -lpython3.9")
        XCTAssertTrue(d.verdictOK, "\(d.findings)")
        XCTAssertEqual(d.libraries.first { $0.name == "libpython3.9.a(libpython3.9.so)" }?.linked, true)
    }

    func testRustcNoteFormatAndUnusedLibraries() throws {
        let text = """
            error: linking with `gcc` failed: exit status: 1
              = note: LC_ALL="C" PATH="/usr/bin" "gcc" "-maix64" "\(demo64)" "-L" "\(lib64)" "-L" "\(bins.appendingPathComponent("xcoff64").path)" "-lnames" "-shared" "-o" "_demo.so"
              = note: ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            """
        let d = try replay(text)
        XCTAssertFalse(d.verdictOK)
        XCTAssertTrue(d.missingLinkArguments.contains("-lpython3.9"))
        XCTAssertNotNil(d.findings.first { $0.id == .unusedLibrary && $0.message.contains("-lnames") }, "\(d.findings)")
    }

    func testResponseFile() throws {
        let dir = try TempDir()
        let rsp = try dir.write("link.rsp", Array("\"\(demo64)\"\n-L\(lib64)\n-lpython3.9\n".utf8))
        let d = try replay("ld -b64 -bM:SRE -bnoentry -o _demo.so @\(rsp)")
        XCTAssertTrue(d.verdictOK, "\(d.findings)")
        XCTAssertEqual(d.inputs.map(\.path), [demo64])
    }

    func testLinkerErrorsAloneAreGroupedByProvider() throws {
        let d = try replay("""
            ld -b64 -bM:SRE -o _demo.so /tmp/gone/demo.o -L\(lib64)
            ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            ld: 0711-317 ERROR: Undefined symbol: _Py_NoneStruct
            ld: 0711-317 ERROR: Undefined symbol: .not_in_python
            """)
        XCTAssertEqual(d.unresolved.map(\.name), [".PyErr_Print", "_Py_NoneStruct", ".not_in_python"])
        XCTAssertEqual(d.unresolved[0].providers, ["libpython3.9.a(libpython3.9.so)"])
        XCTAssertEqual(d.unresolved[2].providers, [])
    }

    /// IBM ld's error lines pasted alone (no command line, no inputs): they are an AIX link's,
    /// and with nothing to read there is no module whose PyInit_ could be looked for.
    func testIBMErrorLinesAloneAreAnAIXLink() throws {
        let text = """
            ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            ld: 0711-317 ERROR: Undefined symbol: _Py_NoneStruct
            ld: 0711-345 Use the -bloadmap or -bnoquiet option to obtain more information.
            """
        XCTAssertTrue(CommandLineText(parsing: text).errorsSayAIX)
        let d = try replay(text) { $0.libraryDirectories = [self.lib64] }
        XCTAssertEqual(d.platform, .aix)
        XCTAssertFalse(d.verdictOK)
        XCTAssertEqual(d.unresolved.map(\.providers), [["libpython3.9.a(libpython3.9.so)"], ["libpython3.9.a(libpython3.9.so)"]])
        XCTAssertNil(d.findings.first { $0.id == .missingPyInit }, "\(d.findings)")
    }

    /// The error text of a real failed link by GNU ld built for AIX (TestBinaries/real/aix-fixtures, made
    /// with powerpc-ibm-aix7.2-ld): `.`-named entry points, XCOFF `.pr` csects.
    func testGNULdForAIXErrorTextIsAnAIXLink() throws {
        let file = try Paths.real("aix-fixtures/_demo64.undefined.ld-error.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let parsed = CommandLineText(parsing: text)
        XCTAssertTrue(parsed.errorsSayAIX)
        XCTAssertEqual(parsed.undefinedInErrors.count, 31)
        let d = try replay(text) { $0.libraryDirectories = [self.lib64] }
        XCTAssertEqual(d.platform, .aix)
        XCTAssertEqual(d.unresolved.count, 31)
        XCTAssertTrue(d.unresolved.allSatisfy { $0.providers == ["libpython3.9.a(libpython3.9.so)"] }, "\(d.unresolved)")
    }

    /// Only the message id or the tool's target says AIX: a `.` name or the word "ld" does not.
    func testAIXLinkerMessageRecognition() {
        XCTAssertTrue(CommandLineText.isAIXLinkerMessage("ld: 0706-012 The -h flag is not recognized."))
        XCTAssertTrue(CommandLineText.isAIXLinkerMessage("/opt/bin/powerpc-ibm-aix7.2-ld: x.o: undefined reference to `.f'"))
        XCTAssertTrue(CommandLineText.isAIXLinkerMessage("ld: x.o:x.c:(.pr+0x1c): undefined reference to `.f'"))
        XCTAssertFalse(CommandLineText.isAIXLinkerMessage("/usr/bin/ld: x.o: in function `f': x.c:(.text+0x5): undefined reference to `.f'"))
        XCTAssertFalse(CommandLineText.isAIXLinkerMessage("ld.lld: error: undefined symbol: PyErr_Print"))
        XCTAssertFalse(CommandLineText.isAIXLinkerMessage("ld: 07 errors"))
    }

    /// rustc deletes its objects after a failed link: what they exported, PyInit_ included, is
    /// unknown, so a missing PyInit_ must not be reported; a note says it was not checked.
    func testGoneInputsLeaveThePyInitCheckOut() throws {
        var base = DiagnoseOptions(inputs: [])
        base.python = .none
        let text = """
            xlc -q64 -G -bnoentry -o _demo.so /tmp/gone-\(getpid())/demo.o -L\(lib64)
            ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            """
        let r = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: text), base: base))
        let d = try XCTUnwrap(r.diagnose.diagnosis)
        XCTAssertNil(d.findings.first { $0.id == .missingPyInit }, "\(d.findings)")
        XCTAssertTrue(r.diagnose.notes.contains { $0.contains("PyInit_<name> not checked") }, "\(r.diagnose.notes)")
        // With the object there, the check is made (demo.o exports PyInit__demo, not PyInit_other).
        let present = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: "xlc -q64 -G -bnoentry -o other.so \(demo64) -L\(lib64)"), base: base))
        XCTAssertNotNil(present.diagnose.diagnosis?.findings.first { $0.id == .missingPyInit && $0.message.contains("PyInit_other") })
    }

    /// rustc deleted the objects of a 32-bit AIX link: the width comes from -b32 (or -maix32,
    /// or OBJECT_MODE), not a 64-bit default, so there is no false mixed-width error; and since
    /// what the gone inputs needed is unknown, no library is called unused.
    func testGoneInputsTakeTheirWidthFromTheOptions() throws {
        let errors = """
            ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            ld: 0711-317 ERROR: Undefined symbol: PyObject_GenericGetAttr
            """
        for (line, env) in [("ld -b32 -bM:SRE -bnoentry", [:]), ("gcc -maix32 -shared", [:]), ("ld -bM:SRE -bnoentry", ["OBJECT_MODE": "32"])] {
            let d = try replay("\(line) -o _x.so /tmp/gone-\(getpid())/x.o -L\(lib64) -lpython3.9 -lm\n\(errors)") { $0.environment = env }
            XCTAssertEqual(d.inputs.map(\.format), ["xcoff32"], line)
            XCTAssertNil(d.findings.first { $0.id.rawValue == "mixed-xcoff-width" }, "\(line): \(d.findings)")
            XCTAssertNil(d.findings.first { $0.id.rawValue == "unused-library" }, "\(line): \(d.findings)")
            // The names stay as the linker reported them: `.f` for a call, `f` for an address.
            XCTAssertEqual(d.unresolved.map(\.name), [".PyErr_Print", "PyObject_GenericGetAttr"], line)
        }
        let wide = try replay("ld -b64 -bM:SRE -bnoentry -o _x.so /tmp/gone-\(getpid())/x.o -L\(lib64) -lpython3.9\n\(errors)")
        XCTAssertEqual(wide.inputs.map(\.format), ["xcoff64"])
        XCTAssertTrue(wide.verdictOK, "\(wide.findings)")
    }

    func testImportFileFromMainProgramResolvesWithTheEmbeddingCaveat() throws {
        let exp = bins.appendingPathComponent("aix-example/python.exp").path
        let d = try replay("ld -b64 -bM:SRE -bnoentry -bI:\(exp) -o _demo.so \(demo64)")
        XCTAssertTrue(d.verdictOK, "\(d.findings)")
        XCTAssertEqual(d.unresolved.count, 0)
        XCTAssertEqual(d.findings.first { $0.id == .importsFromMainProgram }?.severity, .warning)
    }

    func testBerokLetsTheLinkThroughWithWarnings() throws {
        let d = try replay("ld -b64 -bM:SRE -bnoentry -berok -o _demo.so \(demo64)")
        XCTAssertTrue(d.verdictOK)
        XCTAssertEqual(d.findings.first { $0.id == .libpythonNotLinked }?.severity, .warning)
    }

    func testMixedWidthsAndELFOptionsOnAIX() throws {
        let o32 = bins.appendingPathComponent("xcoff32/names.o").path
        let d = try replay("gcc -maix64 -shared -o _demo.so \(demo64) \(o32) -L\(lib64) -lpython3.9 -Wl,-soname,_demo.so -Wl,-rpath,/opt/lib")
        let width = try XCTUnwrap(d.findings.first { $0.id == .mixedXCOFFWidth && $0.message.contains("-b64") })
        XCTAssertTrue(width.message.contains("xcoff32/names.o is 32-bit"), width.message)
        let elf = try XCTUnwrap(d.findings.first { $0.id == .elfOptionOnAIX })
        XCTAssertTrue(elf.message.contains("-rpath → -blibpath:"), elf.message)
        XCTAssertTrue(elf.message.contains("0706-012"), elf.message)
    }

    /// More than 8192 distinct external data references in a 64-bit object: 8-byte TOC entries
    /// beyond 64 KiB. The object is generated and compiled here (clang for AIX).
    func testTOCOverflowWithAndWithoutBigtoc() throws {
        let clang = "/opt/swift/usr/bin/clang"
        guard FileManager.default.isExecutableFile(atPath: clang) else { throw XCTSkip("SKIPPED: no \(clang)") }
        let dir = try TempDir()
        var c = ""
        for i in 0..<8300 { c += "extern int v\(i);\n" }
        c += "int sum(void) { return 0"
        for i in 0..<8300 { c += " + v\(i)" }
        c += "; }\n"
        for i in 0..<8300 { c += "int v\(i) = \(i);\n" }
        let src = try dir.write("toc.c", Array(c.utf8))
        let obj = dir.url.appendingPathComponent("toc.o").path
        let cc = try runTool(clang, ["--target=powerpc64-ibm-aix", "-O1", "-c", src, "-o", obj])
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let d = try replay("ld -b64 -bM:SRE -bnoentry -o toc.so \(obj)")
        let f = try XCTUnwrap(d.findings.first { $0.id == .tocOverflow })
        XCTAssertEqual(f.severity, .error)
        XCTAssertTrue(f.message.contains("0711-781"), f.message)
        XCTAssertEqual(d.missingLinkArguments, ["-bbigtoc"])
        let big = try replay("ld -b64 -bM:SRE -bnoentry -bbigtoc -o toc.so \(obj)")
        XCTAssertEqual(big.findings.first { $0.id == .tocOverflow }?.severity, .note)
        XCTAssertTrue(big.verdictOK)
    }

    func testAIXFixtureTOCMatchesGNULd() throws {
        let dir = try Paths.real("aix-fixtures/obj")
        let d = try replay("ld -b64 -bM:SRE -bnoentry -o toc.so \(dir.path)/toc_use64.o \(dir.path)/toc_defs64.o")
        let f = try XCTUnwrap(d.findings.first { $0.id == .tocOverflow })
        // GNU ld: "TOC overflow: 0x11940 > 0x10000".
        XCTAssertTrue(f.message.contains("needs 72000 bytes"), f.message)
    }

    /// gcc and GNU ld are the oracle: with -z defs the real link fails on exactly the symbols
    /// symscan calls unresolved, and adding symscan's arguments makes it succeed.
    func testELFLinkWithZDefsAgainstTheRealLinker() throws {
        guard let cc = which("cc") else { throw XCTSkip("SKIPPED: no cc") }
        let dir = try TempDir()
        let src = try dir.write("zt.c", Array("""
            double sqrt(double); int elf_version(unsigned); void PyErr_Print(void); void *PyInit_zt(void);
            int f(double x) { PyErr_Print(); return (int)sqrt(x) + elf_version(1); }
            void *PyInit_zt(void) { return 0; }
            """.utf8))
        let obj = dir.url.appendingPathComponent("zt.o").path
        XCTAssertEqual(try runTool(cc, ["-fPIC", "-c", src, "-o", obj]).status, 0)
        let out = dir.url.appendingPathComponent("zt.so").path
        let args = ["-shared", "-o", out, obj, "-Wl,-z,defs"]
        let failed = try runTool(cc, args)
        XCTAssertNotEqual(failed.status, 0)
        let theirs = Set(CommandLineText(parsing: failed.stderr).undefinedInErrors)
        XCTAssertEqual(theirs, ["PyErr_Print", "sqrt", "elf_version"])
        XCTAssertFalse(CommandLineText(parsing: failed.stderr).errorsSayAIX, "GNU ld for x86-64 is no AIX linker")

        var base = DiagnoseOptions(inputs: [])
        base.environment = ProcessInfo.processInfo.environment
        let r = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: "cc " + args.joined(separator: " ")), base: base))
        let d = try XCTUnwrap(r.diagnose.diagnosis)
        XCTAssertEqual(Set(d.unresolved.filter { !$0.weak }.map(\.name)), theirs)
        XCTAssertFalse(d.verdictOK)
        // A Linux extension module: the fix drops -z defs (never links libpython) and adds
        // what defines the rest.
        XCTAssertEqual(d.removeLinkArguments, ["-Wl,-z,defs"])
        XCTAssertFalse(d.missingLinkArguments.contains { $0.contains("python") }, "\(d.missingLinkArguments)")
        let fixed = try runTool(cc, args.filter { !d.removeLinkArguments.contains($0) } + d.missingLinkArguments)
        XCTAssertEqual(fixed.status, 0, "suggested \(d.missingLinkArguments): \(fixed.stderr)")
        // Without -z defs, a shared object may leave them undefined: warnings, not errors.
        let lenient = try XCTUnwrap(LinkReplay.run(CommandLineText(parsing: "cc -shared -o \(out) \(obj)"), base: base))
        XCTAssertTrue(lenient.diagnose.diagnosis?.verdictOK ?? false, "\(lenient.diagnose.diagnosis?.findings ?? [])")
    }

    /// Symbols the linker and cc's start files define: GNU ld links the object with -z defs,
    /// so symscan must not call them unresolved.
    func testLinkerDefinedSymbolsAreNotMissing() throws {
        guard let cc = which("cc") else { throw XCTSkip("SKIPPED: no cc") }
        let dir = try TempDir()
        let src = try dir.write("ld.c", Array("""
            extern char _GLOBAL_OFFSET_TABLE_[], __ehdr_start[], __dso_handle[], _DYNAMIC[];
            void *PyInit_ld(void) { return _GLOBAL_OFFSET_TABLE_ + (long)__ehdr_start + (long)__dso_handle + (long)_DYNAMIC; }
            """.utf8))
        let obj = dir.url.appendingPathComponent("ld.o").path
        XCTAssertEqual(try runTool(cc, ["-fPIC", "-c", src, "-o", obj]).status, 0)
        let args = ["-shared", "-o", dir.url.appendingPathComponent("ld.so").path, obj, "-Wl,-z,defs"]
        let linked = try runTool(cc, args)
        XCTAssertEqual(linked.status, 0, "the oracle links it: \(linked.stderr)")
        let d = try replay("cc " + args.joined(separator: " "))
        XCTAssertEqual(d.unresolved.map(\.name), [])
        XCTAssertTrue(d.verdictOK, "\(d.findings)")
    }
}
