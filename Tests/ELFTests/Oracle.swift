import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import TestSupport
import XCTest

/// Runs the independent tools the tests compare against (GNU nm, readelf, ar, python3).
enum Oracle {
    /// stdout of a command; fails the test (and returns "") when it cannot run or exits non-zero
    /// unless `allowFailure`.
    static func run(_ args: [String], allowFailure: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r: RunResult
        do { r = try runTool("/usr/bin/env", args) } catch {
            XCTFail("cannot run \(args.joined(separator: " ")): \(error)", file: file, line: line)
            return ""
        }
        if r.status != 0 && !allowFailure {
            XCTFail("\(args.joined(separator: " ")) exited \(r.status)", file: file, line: line)
        }
        return r.stdout
    }

    /// The Python installation the tests read: extension modules in site-packages and
    /// lib-dynload, and libpython, found from the interpreter's sysconfig.
    struct Python {
        var sitePackages: [String]
        var libDynload: String
        var libpython: String?
    }

    static let python: Python? = {
        let script = """
        import sysconfig, os
        p = sysconfig.get_paths()
        print(p["platlib"]); print(p["purelib"])
        print(os.path.join(p["platstdlib"], "lib-dynload"))
        libdir = sysconfig.get_config_var("LIBDIR") or ""
        lib = sysconfig.get_config_var("LDLIBRARY") or ""
        print(os.path.join(libdir, lib) if lib.endswith(".so") or ".so." in lib else "")
        """
        let lines = run(["python3", "-c", script]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 4 else { return nil }
        let lib = lines[3]
        return Python(sitePackages: Array(Set([lines[0], lines[1]])).sorted(), libDynload: lines[2],
                      libpython: lib.isEmpty || !FileManager.default.fileExists(atPath: lib) ? nil : lib)
    }()

    /// Every `*.so` under `dir`, sorted.
    static func sharedObjects(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if rel.hasSuffix(".so") || rel.contains(".so.") {
                let path = dir + "/" + rel
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { out.append(path) }
            }
        }
        return out.sorted()
    }

    /// Files that start with the ELF magic (some `.so` names are linker scripts or text).
    static func isELF(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return h.readData(ofLength: 4) == Data([0x7F, 0x45, 0x4C, 0x46])
    }
}

/// Our symbols as nm prints them, so that a comparison is line for line.
enum NMFormat {
    /// `VALUE LETTER NAME[@[@]VERSION]`; ELF section and file symbols are skipped, as nm skips
    /// them without `-a`.
    static func lines(_ symbols: [Symbol], is64: Bool, demangle: ((NameView) -> String?)? = nil) -> [String] {
        var out: [String] = []
        out.reserveCapacity(symbols.count)
        let width = is64 ? 16 : 8
        for s in symbols where s.kind != .section && s.kind != .file {
            var line = s.defined ? hex(s.value, width) : String(repeating: " ", count: width)
            line += " "
            line += String(UnicodeScalar(s.nmLetter))
            line += " "
            line += demangle?(s.name) ?? s.name.string
            if let v = s.version { line += (s.versionDefault ? "@@" : "@") + v.string }
            out.append(line)
        }
        return out
    }

    static func hex(_ v: UInt64, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }

    /// nm's output lines, without blank lines.
    static func split(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Fails with the first difference (index and both lines) when the lists differ.
    static func assertSame(_ ours: [String], _ theirs: [String], _ what: String,
                           file: StaticString = #filePath, line: UInt = #line) -> Bool {
        if ours == theirs { return true }
        let n = min(ours.count, theirs.count)
        var i = 0
        while i < n && ours[i] == theirs[i] { i += 1 }
        let a = i < ours.count ? ours[i] : "<end>"
        let b = i < theirs.count ? theirs[i] : "<end>"
        XCTFail("\(what): \(ours.count) lines vs \(theirs.count) from the oracle; first difference at \(i): ours \"\(a)\" oracle \"\(b)\"",
                file: file, line: line)
        return false
    }
}

/// Every result the tests loaded. Name views are valid only while their image (its mapping)
/// lives; tests pull symbols and dynamic info out of images freely, so the images are kept
/// until the test process ends rather than reasoning about Swift's release points in each test.
nonisolated(unsafe) private var keptAlive: [LoadResult] = []

/// Loads one file through the same entry point the CLI uses, failing the test on load errors.
func loadImages(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> LoadResult {
    let r = ImageLoader.load(path: path)
    keptAlive.append(r)
    for e in r.errors { XCTFail("load error: \(e)", file: file, line: line) }
    return r
}
