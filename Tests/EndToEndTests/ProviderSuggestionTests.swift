import Foundation
import TestSupport
import XCTest

/// `providers` and `diagnose` never propose an interposer or sanitizer runtime, with this
/// machine's library directory and the compiler's directories indexed.
final class ProviderSuggestionTests: XCTestCase {
    let system = "/usr/lib/x86_64-linux-gnu"
    static let interposers = ["libasan", "libtsan", "liblsan", "libubsan", "libhwasan", "libmemusage",
                              "libc_malloc_debug", "libpcprofile", "libSegFault", "libfakeroot"]

    /// The compiler's library directories, as `gcc -print-search-dirs` names them.
    func compilerDirectories() throws -> [String] {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        let r = try runTool(cc, ["-print-search-dirs"])
        let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("libraries: ") } ?? ""
        return line.dropFirst("libraries: =".count).split(separator: ":").map(String.init)
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every name an interposer on this machine exports (GNU nm, the oracle), looked up: no
    /// interposer among the providers listed; libc's and libm's names come from libc and libm.
    func testProvidersNeverListAnInterposer() throws {
        guard FileManager.default.fileExists(atPath: system), let nm = which("nm") else { throw XCTSkip("SKIPPED: no \(system) or nm") }
        let files = try FileManager.default.contentsOfDirectory(atPath: system)
            .filter { f in Self.interposers.contains { f.hasPrefix($0) } && f.contains(".so") }
        guard !files.isEmpty else { throw XCTSkip("SKIPPED: no interposer library in \(system)") }
        var names = Set<String>()
        for f in files {
            let r = try runTool(nm, ["-D", "--defined-only", "--format=posix", system + "/" + f])
            for line in r.stdout.split(separator: "\n") {
                if let n = line.split(separator: " ").first { names.insert(String(n.split(separator: "@").first ?? n)) }
            }
        }
        let libc = try runTool(nm, ["-D", "--defined-only", "--format=posix", system + "/libc.so.6"]).stdout
        // Names libc defines under its default version (`@@`): a link can bind to those.
        let libcNames = Set(libc.split(separator: "\n").compactMap { line -> String? in
            guard let w = line.split(separator: " ").first, w.contains("@@") || !w.contains("@") else { return nil }
            return String(w.split(separator: "@")[0])
        })
        let dirs = [system] + (try compilerDirectories())
        let sorted = names.sorted()
        XCTAssertGreaterThan(sorted.count, 1000, "interposer names read: \(files)")
        var libcFirst = 0
        for chunk in stride(from: 0, to: sorted.count, by: 800).map({ Array(sorted[$0..<min($0 + 800, sorted.count)]) }) {
            let r = try runSymscan(["providers"] + dirs.flatMap { ["--lib-dir", $0] } + chunk)
            XCTAssertNotEqual(r.status, 2, r.stderr)
            for line in r.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                for p in parts.dropFirst() {
                    let base = p.split(separator: "/").last.map(String.init) ?? p
                    XCTAssertFalse(Self.interposers.contains { base.hasPrefix($0) }, "interposer listed: \(line)")
                }
                let name = String(parts[0].dropLast())
                if libcNames.contains(name), !name.hasPrefix("GLIBC_"), let first = parts.dropFirst().first {
                    XCTAssertTrue(first.hasSuffix("/libc.so.6"), "\(name): \(line)")
                    libcFirst += 1
                }
            }
        }
        XCTAssertGreaterThan(libcFirst, 100)
        // --all lists what exports the name, interposers too.
        let all = try runSymscan(["providers", "--all", "--lib-dir", system, "malloc"])
        if files.contains(where: { $0.hasPrefix("libasan") }) { XCTAssertTrue(all.stdout.contains("libasan"), all.stdout) }
        let ranked = try runSymscan(["providers", "--lib-dir", system] + (try compilerDirectories()).flatMap { ["--lib-dir", $0] } + ["lgamma"])
        XCTAssertTrue(ranked.stdout.hasPrefix("lgamma: \(system)/libm.so.6"), ranked.stdout)
    }

    /// An object referencing every C-identifier name that libasan exports and libc or libm
    /// defines (its interceptors, 470 here): `diagnose` suggests no interposer, and GNU ld, given
    /// exactly the suggested arguments with -z defs, leaves undefined exactly the names symscan
    /// found no provider for (names glibc keeps only under a hidden version, such as the xdr_
    /// functions that moved to libtirpc, or cfree).
    func testDiagnoseOfEveryInterceptedNameMatchesTheLinker() throws {
        guard let cc = which("gcc"), let nm = which("nm") else { throw XCTSkip("SKIPPED: no gcc or nm") }
        let asan = system + "/libasan.so.8"
        guard FileManager.default.fileExists(atPath: asan) else { throw XCTSkip("SKIPPED: no \(asan)") }
        func names(_ files: [String]) throws -> Set<String> {
            let r = try runTool(nm, ["-D", "--defined-only", "--format=posix"] + files)
            return Set(r.stdout.split(separator: "\n").compactMap { line -> String? in
                guard let w = line.split(separator: " ").first, !w.hasSuffix(":") else { return nil }
                return String(w.split(separator: "@")[0])
            })
        }
        let identifier = { (n: String) in
            n.first.map { $0 == "_" || $0.isLetter } == true && n.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        }
        let wanted = try names([asan]).intersection(try names([system + "/libc.so.6", system + "/libm.so.6"])).filter(identifier).sorted()
        XCTAssertGreaterThan(wanted.count, 100)
        let tmp = try TempDir()
        let asm = try tmp.write("refs.s", Array((".data\n" + wanted.map { ".quad \($0)\n" }.joined()).utf8))
        let obj = tmp.url.path + "/refs.o"
        XCTAssertEqual(try runTool(cc, ["-c", asm, "-o", obj]).status, 0)

        let r = try runSymscan(["diagnose", "--no-python", "--format", "json", obj])
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout + r.stderr)
        let add = root["missingLinkArguments"] as? [String] ?? []
        let unresolved = root["unresolved"] as? [[String: Any]] ?? []
        for lib in root["libraries"] as? [[String: Any]] ?? [] {
            let name = lib["name"] as? String ?? ""
            XCTAssertFalse(Self.interposers.contains { name.hasPrefix($0) }, "suggested \(name)")
        }
        // libc is the compiler driver's own input (diagnose of objects assumes a driver link).
        XCTAssertFalse(add.contains { a in Self.interposers.contains { a.contains($0.dropFirst(3)) } }, "\(add)")
        let noProvider = Set(unresolved.filter { ($0["providers"] as? [String] ?? []).isEmpty }.compactMap { $0["name"] as? String })

        let link = ["-shared", "-o", tmp.url.path + "/refs.so", obj, "-Wl,-z,defs"] + add
        let linked = try runTool(cc, link)
        var undefined = Set<String>()
        for line in linked.stderr.split(separator: "\n") {
            guard let r = line.range(of: "undefined reference to `") else { continue }
            undefined.insert(String(line[r.upperBound...].prefix { $0 != "'" }))
        }
        XCTAssertEqual(undefined, noProvider, "ld: \(linked.stderr.prefix(2000))")
        XCTAssertEqual(linked.status == 0, noProvider.isEmpty)
    }
}
