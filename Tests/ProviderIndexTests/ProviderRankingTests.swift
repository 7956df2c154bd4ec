import Foundation
import ProviderIndex
import TestSupport
import XCTest

/// The rule that picks the library to suggest among those that export a name.
final class ProviderRankingTests: XCTestCase {
    /// A library that exports a name while the library it links defines it too re-exports it
    /// (decided from the files: DT_NEEDED of a real gcc-built library); its own names stay.
    func testReexporterLeftOutForTheNamesItTakesFromItsDependency() throws {
        guard let cc = which("gcc") else { throw XCTSkip("SKIPPED: no gcc") }
        let tmp = try TempDir()
        let dir = tmp.url.path
        let origin = try tmp.write("origin.c", Array("int foo(void) { return 1; }\n".utf8))
        let wrap = try tmp.write("wrap.c", Array("int foo(void) { return 2; }\nint bar(void) { return 3; }\n".utf8))
        XCTAssertEqual(try runTool(cc, ["-shared", "-fPIC", "-o", dir + "/liborigin.so", origin]).status, 0)
        XCTAssertEqual(try runTool(cc, ["-shared", "-fPIC", "-o", dir + "/libwrap.so", wrap, "-L", dir, "-Wl,--no-as-needed", "-lorigin"]).status, 0)
        var ranking = ProviderRanking(directories: [dir])
        // (--no-as-needed: Debian's gcc would drop the DT_NEEDED wrap does not use.)
        // libwrap.so sorts after liborigin.so in a directory, so put it first on purpose.
        XCTAssertEqual(ranking.ranked([dir + "/libwrap.so", dir + "/liborigin.so"]), [dir + "/liborigin.so"])
        XCTAssertEqual(ranking.ranked([dir + "/libwrap.so"]), [dir + "/libwrap.so"])
    }

    /// This machine's sanitizer runtimes export lgamma and need libm: only libm is suggested.
    func testSanitizerRuntimesNeverRanked() throws {
        let d = "/usr/lib/x86_64-linux-gnu"
        guard FileManager.default.fileExists(atPath: d + "/libm.so.6") else { throw XCTSkip("SKIPPED: no \(d)/libm.so.6") }
        var ranking = ProviderRanking(directories: [d])
        let present = ["libasan.so.8", "libtsan.so.2", "libm.so.6"].map { d + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        XCTAssertEqual(ranking.ranked(present), [d + "/libm.so.6"])
        for name in ["libasan.so.8", "libfakeroot-0.so", "libc_malloc_debug.so.0", "libclang_rt.asan-x86_64.so", "libSegFault.so"] {
            XCTAssertTrue(SuggestionRules.isInterposer("/x/" + name), name)
        }
        XCTAssertFalse(SuggestionRules.isInterposer("/x/libc.so.6"))
        XCTAssertEqual(SuggestionRules.compilerFlag(for: "/usr/lib/gcc/x86_64-linux-gnu/12/libgomp.so"), "-fopenmp")
    }

    /// Already chosen, then the C/C++ runtime, then coverage, then the development name, then
    /// the directory order (files that are not there: only the names decide).
    func testOrder() {
        var r = ProviderRanking(directories: ["/a", "/b"])
        XCTAssertEqual(r.ranked(["/b/libfoo.so", "/a/libfoo.so.1"]), ["/b/libfoo.so", "/a/libfoo.so.1"], "development name before directory")
        XCTAssertEqual(r.ranked(["/b/libx.so", "/a/libx.so"]), ["/a/libx.so", "/b/libx.so"], "then directory order")
        for _ in 0..<3 { r.count(["/a/libbig.so", "/b/libm.so.6"]) }
        r.count(["/a/libsmall.so", "/a/libbig.so.2", "/a/libbig.a"])
        XCTAssertEqual(r.ranked(["/a/libsmall.so", "/a/libbig.so"]).first, "/a/libbig.so", "more of the unresolved names")
        XCTAssertEqual(r.ranked(["/a/libbig.so", "/b/libm.so.6"]).first, "/b/libm.so.6", "the runtime's library for its names")
        XCTAssertEqual(r.ranked(["/a/libbig.a", "/a/libbig.so.2"]), ["/a/libbig.so.2", "/a/libbig.a"],
                       "one library's files count as one: then the shared object before the archive")
        r.chosen = ["/a/libsmall.so"]
        XCTAssertEqual(r.ranked(["/a/libbig.so", "/b/libm.so.6", "/a/libsmall.so"]).first, "/a/libsmall.so", "already suggested")
    }
}
