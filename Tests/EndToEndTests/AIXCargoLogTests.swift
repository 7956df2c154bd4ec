import Foundation
import TestSupport
import XCTest

/// An AIX cargo log pasted on Linux: rustc's `note: "cc" …` block with the AIX system
/// libraries, and IBM ld's 0711-317 errors. The system libraries cannot be here: one note, no
/// error; the fix names libpython from the PyO3 config, and the whole report fits one screen.
final class AIXCargoLogTests: XCTestCase {
    let example = Paths.testBinaries.appendingPathComponent("aix-example")

    static let log = """
           Compiling demo v0.1.0 (/home/user/demo)
        error: linking with `cc` failed: exit status: 1
          |
          = note: LC_ALL="C" PATH="/opt/freeware/bin:/usr/bin" VSLANG="1033" "cc" "-maix64" "-Wl,-bexpfull" "/tmp/rustcXyZ/symbols.o" "/home/user/demo/target/release/deps/demo.demo.1a2b3c-cgu.0.rcgu.o" "/home/user/demo/target/release/deps/demo.demo.1a2b3c-cgu.1.rcgu.o" "/home/user/demo/target/release/deps/libpyo3-abc.rlib" "-lc" "-lm" "-lpthread" "-lunwind" "-lc" "-L" "/home/user/demo/target/release/deps" "-o" "/home/user/demo/target/release/deps/libdemo.so" "-Wl,-bnoipath" "-Wl,-bbigtoc" "-shared"
          = note: ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print
                  ld: 0711-317 ERROR: Undefined symbol: .PyLong_FromLong
                  ld: 0711-317 ERROR: Undefined symbol: .PyModule_Create2
                  ld: 0711-317 ERROR: Undefined symbol: PyExc_TypeError
                  ld: 0711-345 Use the -bloadmap or -bnoquiet option to obtain more information.
                  collect2: error: ld returned 8 exit status

        """

    func run(_ options: [String]) throws -> (RunResult, [String]) {
        let dir = try TempDir()
        let file = try dir.write("cargo.log", Array(Self.log.utf8))
        let r = try runSymscan(["link-line", "@" + file] + options)
        let lines = (r.stdout + r.stderr).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertLessThanOrEqual(lines.count, 30, r.stdout + r.stderr)
        XCTAssertFalse(r.stdout.contains("library-not-found"), r.stdout)
        let notes = lines.filter { $0.contains("[target-system-library]") }
        XCTAssertEqual(notes.count, 1, r.stdout)
        XCTAssertTrue(notes.first?.contains("-lc -lm -lpthread -lunwind:") ?? false, r.stdout)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "gone inputs are one note: " + r.stderr)
        XCTAssertTrue(r.stderr.contains("4 of 4 inputs"), r.stderr)
        XCTAssertTrue(r.stdout.contains(": /home/user/demo/target/release/deps/libdemo.so (aix): "), r.stdout)
        return (r, r.stdout.split(separator: "\n").map(String.init))
    }

    func testWithoutPythonConfiguration() throws {
        let (r, _) = try run(["--python", "/nonexistent/python3"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("[libpython-not-linked]"), r.stdout)
    }

    /// The bundled config (relative lib_dir, libpython present): -L is its lib_dir.
    func testWithThePyO3Config() throws {
        let cfg = example.appendingPathComponent("pyo3-aix.cfg").path
        let (r, lines) = try run(["--pyo3-config", cfg])
        XCTAssertEqual(r.status, 1)
        let i = try XCTUnwrap(lines.firstIndex(of: "Missing link arguments:"), r.stdout)
        XCTAssertEqual(lines[i + 1], "  -L\(example.path)/lib64 -lpython3.9")
        XCTAssertTrue(lines[i + 2].hasPrefix("  RUSTFLAGS=\"-C link-arg=-L"), r.stdout)
        XCTAssertTrue(r.stdout.contains("println!(\"cargo:rustc-link-arg=-lpython3.9\");"), r.stdout)
    }

    /// A config for the target machine, whose lib_dir is not on this one: still the fix.
    func testConfigWhoseLibDirIsNotHere() throws {
        let dir = try TempDir()
        let cfg = try dir.write("aix.cfg", Array("implementation=CPython\nversion=3.9\nshared=true\nlib_name=python3.9\nlib_dir=/opt/freeware/lib64\npointer_width=64\n".utf8))
        let (r, lines) = try run(["--pyo3-config", cfg])
        XCTAssertEqual(r.status, 1)
        let i = try XCTUnwrap(lines.firstIndex(of: "Missing link arguments:"), r.stdout)
        XCTAssertEqual(lines[i + 1], "  -L/opt/freeware/lib64 -lpython3.9")
    }

    /// link-line takes diagnose's library options: libpython given with -L/-l resolves the log.
    func testLibraryOptionsResolveIt() throws {
        let (r, _) = try run(["--no-python", "-L", example.appendingPathComponent("lib64").path, "-l", "python3.9"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertFalse(r.stdout.contains("Missing link arguments"), r.stdout)
    }

    /// The CI formats of diagnose, for a link line too (SARIF validated against its schema by
    /// runSymscan), and --output written.
    func testReportFormatsAndOutput() throws {
        let dir = try TempDir()
        let file = try dir.write("cargo.log", Array(Self.log.utf8))
        let cfg = example.appendingPathComponent("pyo3-aix.cfg").path
        let sarif = try runSymscan(["link-line", "@" + file, "--pyo3-config", cfg, "--format", "sarif"])
        XCTAssertEqual(sarif.status, 1, sarif.stderr)
        XCTAssertTrue(sarif.stdout.contains("libpython-not-linked"), sarif.stdout)
        let out = dir.url.appendingPathComponent("report.json").path
        let json = try runSymscan(["link-line", "@" + file, "--pyo3-config", cfg, "--format", "json", "--output", out])
        XCTAssertEqual(json.status, 1, json.stderr)
        XCTAssertEqual(json.stdout, "")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        _ = SchemaCheck.assertValid(text, "link-line --format json --output")
        XCTAssertTrue(text.contains("\"target-system-library\""), text)
    }
}
