import Foundation
import Linkage
import TestSupport
import XCTest

/// Issue 5's acceptance check on real C extension modules: C sources of pinned PyPI sdists
/// compiled for AIX (TestBinaries/aix-pypi, rebuilt by its build.sh; MANIFEST.md says how).
///
/// Each object is diagnosed as the link PyPI's build would do without libpython: the C library
/// given (libc.exp, a stand-in for AIX's libc.a(shr_64.o)), libpython only to be found through
/// the bundled PyO3 configuration. The expectations come from independent tools, not from
/// symscan: `llvm-nm -u` for what an object leaves undefined, GNU `objdump -T` (XCOFF64 target)
/// for what libpython3.9.so exports, and libc.exp's own text for the C library.
///
/// Names are compared by their linker key, the name with an entry point's leading dot removed:
/// the AIX linker reports a call as `.PyErr_Print` while exports list `PyErr_Print`, and an
/// object that both calls a function and takes its address (a type slot) has two undefined
/// symbols, `.PyObject_GenericGetAttr` and `PyObject_GenericGetAttr`, which symscan reports
/// as one unresolved name.
final class PyPIExtensionTests: XCTestCase {
    static let dir = Paths.testBinaries.appendingPathComponent("aix-pypi")
    static let example = Paths.testBinaries.appendingPathComponent("aix-example")
    static let libcExp = dir.appendingPathComponent("libc.exp").path
    static let pyo3Config = example.appendingPathComponent("pyo3-aix.cfg").path
    static let libpython = example.appendingPathComponent("lib64/libpython3.9.a").path
    static let libpythonName = "libpython3.9.a(libpython3.9.so)"
    static let objdump = "/usr/bin/objdump"

    struct OracleError: Error, CustomStringConvertible { var description: String }

    static func objects(_ bits: Int) -> [URL] {
        Paths.files(in: dir.appendingPathComponent("xcoff\(bits)")).filter { $0.pathExtension == "o" }
    }

    static func key(_ name: String) -> String { name.hasPrefix(".") ? String(name.dropFirst()) : name }

    static func isPython(_ key: String) -> Bool { key.hasPrefix("Py") || key.hasPrefix("_Py") }

    /// `llvm-nm -u`: every undefined symbol of the object, as the AIX linker names it.
    /// `llvm-nm -u`, less the names no relocation uses (GNU `objdump -r`): clang lists `.f`
    /// beside `f` when only `f`'s address is taken, and the linker never sees such a `.f`.
    static func undefined(_ objects: [URL]) throws -> [String] {
        var names: [String] = []
        for o in objects {
            let r = try runTool(llvmNM, ["-u", o.path])
            guard r.status == 0 else { throw OracleError(description: "llvm-nm -u \(o.path): \(r.stderr)") }
            let target = o.path.contains("xcoff32") ? "aixcoff-rs6000" : "aix5coff64-rs6000"
            let rel = try runTool(objdump, ["-r", "-b", target, o.path])
            guard rel.status == 0 else { throw OracleError(description: "objdump -r \(o.path): \(rel.stderr)") }
            let relocated = Set(rel.stdout.split(separator: "\n").compactMap { line -> String? in
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                return f.count == 3 && f[0].allSatisfy(\.isHexDigit) ? String(f[2]) : nil
            })
            names += parseNM(r.stdout).map(\.line).filter(\.isUndefined).map(\.name).filter(relocated.contains)
        }
        return names
    }

    /// `llvm-nm -g --defined-only`: what the objects define for each other.
    static func defined(_ objects: [URL]) throws -> Set<String> {
        var keys = Set<String>()
        for o in objects {
            let r = try runTool(llvmNM, ["-g", "--defined-only", o.path])
            guard r.status == 0 else { throw OracleError(description: "llvm-nm -g --defined-only \(o.path): \(r.stderr)") }
            keys.formUnion(parseNM(r.stdout).map { key($0.line.name) })
        }
        return keys
    }

    /// GNU objdump -T on the archive: the loader symbols of libpython3.9.so; rows that are not
    /// `*UND*` are its exports. (llvm-nm -D does not read XCOFF loader sections.)
    static func libpythonExports() throws -> Set<String> {
        guard FileManager.default.isExecutableFile(atPath: objdump) else {
            throw OracleError(description: "\(objdump) is missing: scripts/bootstrap installs binutils-multiarch")
        }
        let r = try runTool(objdump, ["-T", "-b", "aix5coff64-rs6000", libpython])
        guard r.status == 0 else { throw OracleError(description: "objdump -T \(libpython): \(r.stderr)") }
        var names = Set<String>()
        var inTable = false
        for line in r.stdout.split(separator: "\n") {
            if line.hasPrefix("DYNAMIC SYMBOL TABLE") { inTable = true; continue }
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard inTable, f.count >= 3, f[0].count == 16, f[0].allSatisfy(\.isHexDigit) else { continue }
            if !line.contains("*UND*") { names.insert(String(f.last!)) }
        }
        // The bundled libpython exports 1655 names (aix-example/README.md).
        guard names.count > 1000 else { throw OracleError(description: "objdump -T listed only \(names.count) exports") }
        return names
    }

    /// libc.exp read as text: every line that is not `#!`/`#` or a `*` comment is a name.
    static func libcNames() throws -> Set<String> {
        let text = try String(contentsOfFile: libcExp, encoding: .utf8)
        let names = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("*") }
            .map { String($0.split(separator: " ")[0]) }
        return Set(names)
    }

    static func options(_ objects: [URL], libraries: [String]) -> DiagnoseOptions {
        var o = DiagnoseOptions(inputs: objects.map(\.path))
        o.python = .pyo3Config(pyo3Config)
        o.libraryFiles = libraries
        o.searchLibraryDirectories = false
        return o
    }

    static func diagnose(_ objects: [URL], libraries: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Diagnosis {
        let result = Diagnoser.run(options(objects, libraries: libraries))
        XCTAssertEqual(result.errors.count, 0, "\(objects.map(\.lastPathComponent)): \(result.errors)", file: file, line: line)
        guard let d = result.diagnosis else {
            throw OracleError(description: "no diagnosis for \(objects.map(\.lastPathComponent))")
        }
        return d
    }

    /// The unresolved names must be, key for key, what the oracle says; each name must be
    /// spelled as llvm-nm spells one of the object's undefined symbols.
    static func checkUnresolved(_ d: Diagnosis, expected: Set<String>, oracleNames: [String], _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        // `.f` and `f` of one function may both be listed (called and address taken), each once.
        let keys = d.unresolved.map { key($0.name) }
        let names = d.unresolved.map(\.name)
        XCTAssertEqual(names.count, Set(names).count, "\(what): an unresolved name is listed twice", file: file, line: line)
        XCTAssertEqual(Set(keys).sorted(), expected.sorted(), "\(what): unresolved names vs llvm-nm -u minus the providers", file: file, line: line)
        let spelled = Set(oracleNames)
        for u in d.unresolved where !spelled.contains(u.name) {
            XCTFail("\(what): \(u.name) is not spelled as llvm-nm -u spells it", file: file, line: line)
        }
        for u in d.unresolved {
            XCTAssertEqual(u.pythonAPI, isPython(key(u.name)), "\(what): \(u.name) pythonAPI", file: file, line: line)
            XCTAssertFalse(u.weak, "\(what): \(u.name) is not weak (llvm-nm -u shows no w)", file: file, line: line)
        }
    }

    // MARK: the fixtures

    func testEveryObjectIsInTheManifest() throws {
        let manifest = try String(contentsOf: Self.dir.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
        let objects64 = Self.objects(64), objects32 = Self.objects(32)
        XCTAssertGreaterThanOrEqual(objects64.count, 8, "xcoff64 objects (run TestBinaries/aix-pypi/build.sh)")
        XCTAssertGreaterThanOrEqual(objects32.count, 3, "xcoff32 objects")
        for o in objects64 + objects32 {
            let rel = "\(o.deletingLastPathComponent().lastPathComponent)/\(o.lastPathComponent)"
            XCTAssertTrue(manifest.contains("`\(rel)`"), "\(rel) is not in MANIFEST.md")
        }
        XCTAssertTrue(try String(contentsOfFile: Self.libcExp, encoding: .utf8).hasPrefix("#! libc.a(shr_64.o)\n"))
        XCTAssertFalse(try Self.libcNames().isEmpty)
    }

    // MARK: XCOFF64: libpython found through the PyO3 configuration, not linked

    func testUnresolvedEqualsLLVMNMMinusLibcAndLibpythonIsTheSuggestedProvider() throws {
        let libc = try Self.libcNames()
        let python = try Self.libpythonExports()
        let libDir = URL(fileURLWithPath: Self.libpython).deletingLastPathComponent().resolvingSymlinksInPath().path
        var compared = 0
        for obj in Self.objects(64) {
            let what = "xcoff64/\(obj.lastPathComponent)"
            let undefined = try Self.undefined([obj])
            let expected = Set(undefined.map(Self.key)).subtracting(libc)
            let d = try Self.diagnose([obj], libraries: [Self.libcExp])
            XCTAssertEqual(d.platform, .aix, what)
            Self.checkUnresolved(d, expected: expected, oracleNames: undefined, what)

            // Providers: libpython for exactly the names its loader section exports.
            for u in d.unresolved {
                XCTAssertEqual(u.providers.contains(Self.libpythonName), python.contains(Self.key(u.name)),
                               "\(what): \(u.name) providers \(u.providers)")
            }
            let pythonKeys = expected.filter(Self.isPython)
            let providedPython = pythonKeys.filter { python.contains($0) }
            let notLinked = d.findings.filter { $0.id == .libpythonNotLinked }
            if pythonKeys.isEmpty {
                XCTAssertTrue(notLinked.isEmpty, "\(what): no Python references, no libpython-not-linked")
                XCTAssertFalse(d.missingLinkArguments.contains("-lpython3.9"), "\(what): \(d.missingLinkArguments)")
            } else {
                XCTAssertEqual(d.verdict, "fail", what)
                XCTAssertEqual(notLinked.count, 1, "\(what): findings \(d.findings.map(\.id.rawValue))")
                XCTAssertEqual(notLinked.first?.severity, .error, what)
                XCTAssertEqual(Set(notLinked.first?.symbols.map(Self.key) ?? []), pythonKeys, "\(what): libpython-not-linked symbols")
                XCTAssertFalse(providedPython.isEmpty, "\(what): libpython provides none of \(pythonKeys.sorted())")
                XCTAssertTrue(d.missingLinkArguments.contains("-lpython3.9"), "\(what): \(d.missingLinkArguments)")
                XCTAssertTrue(d.missingLinkArguments.contains("-L\(libDir)"), "\(what): \(d.missingLinkArguments)")
                let report = d.libraries.first { $0.name == Self.libpythonName }
                XCTAssertEqual(report?.role, .python, what)
                XCTAssertEqual(report?.linked, false, what)
                XCTAssertEqual(report?.provides, providedPython.count, "\(what): libpython provides")
            }
            // libc.exp was given: it is linked, and nothing it exports stays unresolved.
            let libcReport = d.libraries.first { $0.path == Self.libcExp }
            XCTAssertEqual(libcReport?.linked, true, what)
            XCTAssertEqual(libcReport?.provides, Set(undefined.map(Self.key)).intersection(libc).count, "\(what): libc.exp provides")
            print("PyPIExtension \(what): \(Set(undefined.map(Self.key)).count) undefined names (\(undefined.count) llvm-nm -u symbols), "
                  + "\(Set(undefined.map(Self.key)).intersection(libc).count) from libc.exp, \(expected.count) unresolved, "
                  + "\(pythonKeys.count) Python (\(providedPython.count) exported by libpython)")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 8)
    }

    // MARK: XCOFF64: libpython given

    func testLinkingLibpythonResolvesThePythonPart() throws {
        let libc = try Self.libcNames()
        let python = try Self.libpythonExports()
        for obj in Self.objects(64) {
            let what = "xcoff64/\(obj.lastPathComponent) with libpython"
            let undefined = try Self.undefined([obj])
            let expected = Set(undefined.map(Self.key)).subtracting(libc).subtracting(python)
            let d = try Self.diagnose([obj], libraries: [Self.libcExp, Self.libpython])
            Self.checkUnresolved(d, expected: expected, oracleNames: undefined, what)
            XCTAssertFalse(d.findings.contains { $0.id == .libpythonNotLinked }, "\(what): \(d.findings.map(\.id.rawValue))")
            XCTAssertFalse(d.missingLinkArguments.contains("-lpython3.9"), "\(what): \(d.missingLinkArguments)")
            let report = d.libraries.first { $0.name == Self.libpythonName }
            XCTAssertEqual(report?.linked, true, what)
            XCTAssertEqual(report?.provides, Set(undefined.map(Self.key)).subtracting(libc).intersection(python).count, "\(what): libpython provides")
            if expected.isEmpty {
                XCTAssertEqual(d.verdict, "ok", "\(what): \(d.findings.map { "\($0.id): \($0.message)" })")
            } else {
                // mmh3module.o alone: murmurhash3.o's functions are missing, nothing else.
                XCTAssertEqual(d.findings.filter { $0.severity == .error }.map(\.id), [.unresolvedSymbols], what)
            }
        }
    }

    /// mmh3 is two objects; linked together, mmh3module.o's calls into murmurhash3.o resolve.
    func testMMH3ObjectsLinkTogether() throws {
        let libc = try Self.libcNames()
        let python = try Self.libpythonExports()
        for bits in [64, 32] {
            let objs = Self.objects(bits).filter { $0.lastPathComponent.hasPrefix("mmh3.") }
            XCTAssertEqual(objs.count, 2, "xcoff\(bits) mmh3 objects")
            let undefined = try Self.undefined(objs)
            let defined = try Self.defined(objs)
            XCTAssertTrue(defined.contains("murmurhash3_x64_128"), "llvm-nm -g --defined-only \(objs)")
            let expected = Set(undefined.map(Self.key)).subtracting(defined).subtracting(libc)
            var d = try Self.diagnose(objs, libraries: [Self.libcExp])
            Self.checkUnresolved(d, expected: expected, oracleNames: undefined, "xcoff\(bits) mmh3")
            XCTAssertTrue(expected.allSatisfy(Self.isPython), "\(expected.sorted())")
            guard bits == 64 else { continue }
            d = try Self.diagnose(objs, libraries: [Self.libcExp, Self.libpython])
            Self.checkUnresolved(d, expected: expected.subtracting(python), oracleNames: undefined, "xcoff64 mmh3 with libpython")
            XCTAssertEqual(d.verdict, "ok", "\(d.findings.map { "\($0.id): \($0.message)" })")
        }
    }

    // MARK: XCOFF32: the 64-bit libpython does not fit

    func test32BitModulesDoNotTake64BitLibpython() throws {
        let libc = try Self.libcNames()
        let objects = Self.objects(32).filter { !$0.lastPathComponent.contains("murmurhash3") }
        XCTAssertGreaterThanOrEqual(objects.count, 3)
        for obj in objects {
            let what = "xcoff32/\(obj.lastPathComponent)"
            let undefined = try Self.undefined([obj])
            let expected = Set(undefined.map(Self.key)).subtracting(libc)
            XCTAssertFalse(expected.filter(Self.isPython).isEmpty, what)

            // Found through the PyO3 configuration: the archive holds only a 64-bit member.
            var d = try Self.diagnose([obj], libraries: [Self.libcExp])
            Self.checkUnresolved(d, expected: expected, oracleNames: undefined, what)
            for u in d.unresolved { XCTAssertEqual(u.providers, [], "\(what): \(u.name) providers") }
            XCTAssertFalse(d.libraries.contains { $0.role == .python || $0.name == Self.libpythonName }, "\(what): \(d.libraries.map(\.name))")
            XCTAssertFalse(d.missingLinkArguments.contains("-lpython3.9"), "\(what): \(d.missingLinkArguments)")
            XCTAssertTrue(d.findings.contains { $0.id == .libpythonNotLinked && $0.severity == .error }, "\(what): \(d.findings.map(\.id.rawValue))")
            XCTAssertEqual(d.verdict, "fail", what)

            // Given explicitly: still not a provider, and said to be unusable.
            d = try Self.diagnose([obj], libraries: [Self.libcExp, Self.libpython])
            Self.checkUnresolved(d, expected: expected, oracleNames: undefined, "\(what) with the 64-bit libpython")
            XCTAssertFalse(d.libraries.contains { $0.name == Self.libpythonName }, "\(what): \(d.libraries.map(\.name))")
            XCTAssertTrue(d.findings.contains { $0.id == .libraryUnusable && $0.message.contains("libpython3.9.a") },
                          "\(what): \(d.findings.map { "\($0.id): \($0.message)" })")
            XCTAssertTrue(d.findings.contains { $0.id == .libpythonNotLinked }, what)
        }
    }
}
