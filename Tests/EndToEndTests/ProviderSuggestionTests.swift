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
        let libcNames = Set(libc.split(separator: "\n").compactMap { $0.split(separator: " ").first.map { String($0.split(separator: "@")[0]) } })
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
}
