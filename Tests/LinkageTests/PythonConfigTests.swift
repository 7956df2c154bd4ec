import Foundation
@testable import Linkage
import TestSupport
import XCTest

final class PythonConfigTests: XCTestCase {
    func testPyO3ConfigFile() throws {
        let dir = try TempDir()
        let path = try dir.write("pyo3.cfg", Array("""
            implementation=CPython
            version=3.9
            shared=true
            lib_name=python3.9
            lib_dir=/opt/freeware/lib
            extra_build_script_line=cargo:rustc-link-lib=intl
            """.utf8))
        let c = PythonConfig.fromPyO3File(try String(contentsOfFile: path, encoding: .utf8), path: path)
        XCTAssertEqual(c.libName, "python3.9")
        XCTAssertEqual(c.libDir, "/opt/freeware/lib")
        XCTAssertEqual(c.version, "3.9")
        XCTAssertEqual(c.companionLibraries, ["intl"])
    }

    func testRelativeLibDirIsRelativeToTheFile() {
        let c = PythonConfig.fromPyO3File("lib_name=python3.9\nlib_dir=lib64\n", path: "/x/y/pyo3.cfg")
        XCTAssertEqual(c.libDir, "/x/y/lib64")
    }

    func testLibrariesFromSysconfigFlags() {
        XCTAssertEqual(PythonConfig.libraries(in: "-lintl -ldl -L/opt/lib -Wl,-rpath,/x -lm -ldl"), ["intl", "dl", "m"])
    }

    func testInterpreterSysconfigMatchesPython() throws {
        guard let c = PythonConfig.fromInterpreter("python3") else { throw XCTSkip("SKIPPED: no python3 on PATH") }
        let out = try runTool(which("python3")!, ["-c", "import sysconfig; print(sysconfig.get_config_var('LIBDIR')); print(sysconfig.get_config_var('LDVERSION'))"])
        let lines = out.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(c.libDir, lines[0])
        XCTAssertEqual(c.libName, "python" + lines[1])
    }
}
