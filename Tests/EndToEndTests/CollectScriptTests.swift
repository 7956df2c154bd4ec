import Foundation
import TestSupport
import XCTest

/// The AIX collector (`symscan collect-script`), run for real under ksh (AIX's /bin/sh) and dash
/// against a tree laid out like an AIX Python install, with `python3` and `dump` stubs that print
/// what AIX's print. Checks: the bundle holds what its MANIFEST says, with the same bytes, and
/// nothing outside the output file was written.
final class CollectScriptTests: XCTestCase {
    var scriptPath: String { Paths.repo.appendingPathComponent("scripts/symscan-collect.sh").path }

    func testPrintedScriptIsTheCommittedFile() throws {
        let r = try runSymscan(["collect-script"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try String(contentsOfFile: scriptPath, encoding: .utf8),
                       "run scripts/generate-collect-script")
    }

    func testShellcheck() throws {
        guard let sc = which("shellcheck") else { print("SKIPPED: shellcheck not installed"); throw XCTSkip("shellcheck not installed") }
        let r = try runTool(sc, ["-s", "sh", scriptPath])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
    }

    func testKsh() throws { try collect(shell: "ksh") }
    func testDash() throws { try collect(shell: "dash") }

    func collect(shell: String) throws {
        guard let sh = which(shell) else { print("SKIPPED: \(shell) not installed"); throw XCTSkip("\(shell) not installed") }
        let aix = try Paths.real("aix-fixtures")
        let dir = try TempDir("collect")
        let root = dir.url.appendingPathComponent("root").path
        let fm = FileManager.default
        let lib = root + "/opt/freeware/lib64", config = lib + "/python3.9/config", bin = root + "/bin"
        for d in [config, bin, root + "/home", root + "/tmp", root + "/build"] { try fm.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try fm.copyItem(atPath: aix.appendingPathComponent("lib64/libpython3.9.a").path, toPath: lib + "/libpython3.9.a")
        try fm.copyItem(atPath: aix.appendingPathComponent("python.exp").path, toPath: config + "/python.exp")
        let module = root + "/build/_demo.cpython-39.so"
        try fm.copyItem(atPath: aix.appendingPathComponent("_demo64.libpython.so").path, toPath: module)
        try "ld: 0711-317 ERROR: Undefined symbol: .PyModule_Create2\n".write(toFile: root + "/build/build.log", atomically: true, encoding: .utf8)
        // Real values of an AIX Python 3.9 (IBM AIX Toolbox) sysconfig.
        let vars = ["LIBDIR": lib, "LDLIBRARY": "libpython3.9.a", "LIBPL": config, "LIBS": "-lintl -ldl",
                    "SYSLIBS": "-lm", "EXT_SUFFIX": ".cpython-39.so", "SOABI": "cpython-39",
                    "Py_ENABLE_SHARED": "0", "VERSION": "3.9",
                    "LDSHARED": "/opt/freeware/lib64/python3.9/config/ld_so_aix gcc -maix64 -bI:/opt/freeware/lib64/python3.9/config/python.exp"]
        let json = String(data: try JSONSerialization.data(withJSONObject: vars, options: [.sortedKeys]), encoding: .utf8)!
        try json.write(toFile: root + "/sysconfig.json", atomically: true, encoding: .utf8)
        var cases = ""
        for (k, v) in vars { cases += "  \(k)) echo '\(v)' ;;\n" }
        try stub(bin + "/python3", """
            #!/bin/sh
            # python3 -c CODE [VAR]: one config var, or the whole sysconfig as JSON.
            if [ $# -ge 3 ]; then
              case $3 in
            \(cases)  *) echo ;;
              esac
            else cat '\(root)/sysconfig.json'; fi
            """)
        // `dump -X32_64 -H` in IBM's layout; libc.a is not on this machine, libpython3.9.a is
        // found through index 0's search path.
        try stub(bin + "/dump", """
            #!/bin/sh
            eval "f=\\${$#}"
            cat <<END

            $f:

                                    ***Loader Section***
                                  Loader Header Information
            VERSION#         #SYMtableENT     #RELOCent        LENidSTR
            0x00000001       0x0000000f       0x00000024       0x000000b2

            #IMPfilID        OFFidSTR         LENstrTBL        OFFstrTBL
            0x00000003       0x000003d0       0x0000006d       0x00000482


                                    ***Import File Strings***
            INDEX  PATH                          BASE                MEMBER
            0      \(lib):/usr/lib:/lib
            1                                    libc.a              shr_64.o
            2                                    libpython3.9.a      libpython3.9.so
            END
            """)
        let before = try listing(dir.url.path)
        let out = dir.url.appendingPathComponent("bundle.tar.gz").path
        let r = try runTool("/usr/bin/env", ["-i", "PATH=\(bin):/usr/bin:/bin", "HOME=\(root)/home", "TMPDIR=\(root)/tmp",
                                             "LIBPATH=/nonexistent", "OBJECT_MODE=64",
                                             sh, scriptPath, "-o", out, "-l", root + "/build/build.log", module])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("taking \(lib)/libpython3.9.a ("), r.stderr)
        XCTAssertTrue(r.stderr.contains("imported libc.a not found"), r.stderr)
        // Only the output file is new; nothing else in the tree, HOME or TMPDIR changed.
        XCTAssertEqual(try listing(dir.url.path).filter { !$0.hasPrefix("bundle.tar.gz ") }, before)

        let x = dir.url.appendingPathComponent("x").path
        try fm.createDirectory(atPath: x, withIntermediateDirectories: true)
        let t = try runTool("/bin/tar", ["-xzf", out, "-C", x])
        XCTAssertEqual(t.status, 0, t.stderr)
        let b = x + "/bundle"
        let manifest = try String(contentsOfFile: b + "/MANIFEST", encoding: .utf8)
        var taken: [String: String] = [:]
        for line in manifest.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 3, String(line))
            if f[0] == "missing" { continue }
            taken[f[1]] = f[0]
            let bytes = try Data(contentsOf: URL(fileURLWithPath: b + "/" + f[0]))
            XCTAssertEqual(String(bytes.count), f[2], f[0])
            if f[1].hasPrefix("/") { XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: f[1])), f[1]) }
        }
        for src in [module, lib + "/libpython3.9.a", config + "/python.exp", root + "/build/build.log"] {
            XCTAssertNotNil(taken[src], "\(src) not in MANIFEST:\n\(manifest)")
        }
        XCTAssertTrue(manifest.contains("missing\tlibc.a\t-"), manifest)
        let system = try String(contentsOfFile: b + "/system.txt", encoding: .utf8)
        XCTAssertTrue(system.contains("OBJECT_MODE=64\n") && system.contains("LIBPATH=/nonexistent\n"), system)
        let sc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: b + "/sysconfig.json"))) as? [String: String]
        XCTAssertEqual(sc?["LIBS"], "-lintl -ldl")
        XCTAssertEqual(sc?["EXT_SUFFIX"], ".cpython-39.so")
        XCTAssertTrue(try String(contentsOfFile: b + "/dump-H.1.txt", encoding: .utf8).contains("***Import File Strings***"))
    }

    func stub(_ path: String, _ text: String) throws {
        try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// Every path under dir, and for files their size and modification time: a write anywhere
    /// shows. (A directory's own time changes when the script's scratch dir in TMPDIR comes and
    /// goes; its entries are what must not change.)
    func listing(_ dir: String) throws -> [String] {
        let fm = FileManager.default
        return try fm.subpathsOfDirectory(atPath: dir).map { p in
            let a = try fm.attributesOfItem(atPath: dir + "/" + p)
            if a[.type] as? FileAttributeType == .typeDirectory { return p + "/" }
            return "\(p) \(a[.size] ?? 0) \((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }.sorted()
    }
}
