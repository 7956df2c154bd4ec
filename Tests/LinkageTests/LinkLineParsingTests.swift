import Foundation
@testable import Linkage
import TestSupport
import XCTest

final class LinkLineParsingTests: XCTestCase {
    func testShellQuoting() {
        XCTAssertEqual(CommandLineText.split(#"cc -o "a b.so" 'x y.o' c\ d.o "q\"uote" -DX='1 2'"#),
                       ["cc", "-o", "a b.so", "x y.o", "c d.o", "q\"uote", "-DX=1 2"])
    }

    func testRustcNoteBlockWithEnvironmentAndErrors() {
        let text = """
            error: linking with `cc` failed: exit status: 1
              |
              = note: LC_ALL="C" PATH="/usr/bin:/bin" VSLANG="1033" "cc" "-m64" "/tmp/rustcX/symbols.o" "/work/t/target/debug/deps/demo.demo.1.rcgu.o" "-Wl,--as-needed" "-L" "/work/t/target/debug/deps" "-lpython3.9" "-Wl,-soname,libdemo.so" "-shared" "-o" "/work/t/target/debug/deps/libdemo.so" "-nodefaultlibs"
              = note: /usr/bin/ld: demo.rcgu.o: in function `demo::f':
                      demo.rs:3: undefined reference to `PyErr_Print'
                      /usr/bin/ld: demo.rs:4: undefined reference to `_Py_Dealloc'
                      collect2: error: ld returned 1 exit status
            """
        let t = CommandLineText(parsing: text)
        XCTAssertEqual(t.arguments.first, "cc")
        XCTAssertEqual(t.undefinedInErrors, ["PyErr_Print", "_Py_Dealloc"])
        let c = LinkCommand(t.arguments)
        XCTAssertEqual(c.inputs, ["/tmp/rustcX/symbols.o", "/work/t/target/debug/deps/demo.demo.1.rcgu.o"])
        XCTAssertEqual(c.libraryDirectories, ["/work/t/target/debug/deps"])
        XCTAssertEqual(c.libraries, ["python3.9"])
        XCTAssertEqual(c.output, "/work/t/target/debug/deps/libdemo.so")
        XCTAssertTrue(c.shared)
        XCTAssertTrue(c.asNeeded)
        XCTAssertEqual(c.bits, 64)
        XCTAssertEqual(c.elfOnlyOptions, ["--as-needed", "-soname"])
        XCTAssertEqual(c.unknownOptions, [])
    }

    func testIBMErrorLines() {
        let t = CommandLineText(parsing: """
            ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
            ld: 0711-317 ERROR: Undefined symbol: _Py_NoneStruct
            ld: 0711-345 Use the -bloadmap or -bnoquiet option to obtain more information.
            """)
        XCTAssertEqual(t.arguments, [])
        XCTAssertEqual(t.undefinedInErrors, [".PyErr_Print", "_Py_NoneStruct"])
    }

    func testAIXOptionsAndPassThrough() {
        let c = LinkCommand(CommandLineText.split(
            "xlc -q64 -G -o _x.so x.o -Wl,-bI:python.exp,-bE:x.exp -Xlinker -bbigtoc -Wl,-blibpath:/opt/lib:/usr/lib -bnoentry -bM:SRE -b64 -lintl -l:libz.a -bweird -frobnicate"))
        XCTAssertTrue(c.saysAIX)
        XCTAssertTrue(c.shared && c.runtimeLinking && c.errorsOK && c.bigTOC && c.noEntry)
        XCTAssertEqual(c.importFiles, ["python.exp"])
        XCTAssertEqual(c.exportFiles, ["x.exp"])
        XCTAssertEqual(c.libpath, "/opt/lib:/usr/lib")
        XCTAssertEqual(c.libraries, ["intl", ":libz.a"])
        XCTAssertEqual(c.bits, 64)
        XCTAssertEqual(c.unknownOptions, ["-bweird"])
    }

    func testELFOptions() {
        let c = LinkCommand(CommandLineText.split(
            "gcc -shared -o x.so x.o -Wl,-z,defs -Wl,--whole-archive libw.a -Wl,--no-whole-archive -static -L. -lm -Wl,-rpath,/opt/lib"))
        XCTAssertTrue(c.noUndefined && c.shared && c.staticLink)
        XCTAssertEqual(c.inputs, ["x.o", "libw.a"])
        XCTAssertFalse(c.wholeArchive, "--no-whole-archive came last")
        XCTAssertEqual(c.elfOnlyOptions, ["-z defs", "-rpath"])
    }

    func testResponseFilesExpandRecursively() {
        let files = ["args.rsp": "-shared \"-o\" out.so @more.rsp", "more.rsp": "a.o\n-lfoo"]
        let t = CommandLineText(parsing: "cc @args.rsp b.o @missing.rsp", readFile: { files[$0] })
        XCTAssertEqual(t.arguments, ["cc", "-shared", "-o", "out.so", "a.o", "-lfoo", "b.o", "@missing.rsp"])
        XCTAssertEqual(t.unreadableResponseFiles, ["missing.rsp"])
    }
}
