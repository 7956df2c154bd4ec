import Foundation
import Linkage
import TestSupport
import XCTest

/// A real rustc link that fails: rustc's note shortens its sysroot to `<sysroot>` (with brace
/// lists of rlib globs) and its temporaries to `"<N object files omitted>"`. The oracle is
/// rustc's own linker (rust-lld through cc): the names it reports undefined, and the relink
/// with symscan's arguments.
final class RustcLinkTests: XCTestCase {
    func testRustcNoteWithSysrootAndOmittedObjects() throws {
        guard let rustc = which("rustc") else { throw XCTSkip("SKIPPED: no rustc on PATH") }
        let dir = try TempDir()
        let src = try dir.write("lib.rs", Array("""
            extern "C" { fn crc32(crc: u64, buf: *const u8, len: u32) -> u64; fn PyErr_Print(); }
            #[no_mangle]
            pub extern "C" fn PyInit__rsmod() -> u64 { unsafe { PyErr_Print(); crc32(0, std::ptr::null(), 0) } }
            """.utf8))
        let out = dir.url.appendingPathComponent("_rsmod.so").path
        let args = ["--crate-type", "cdylib", "-o", out, src, "-C", "link-arg=-Wl,-z,defs"]
        let failed = try runTool(rustc, args)
        XCTAssertNotEqual(failed.status, 0)
        let text = CommandLineText(parsing: failed.stderr)
        let theirs = Set(text.undefinedInErrors)
        XCTAssertEqual(theirs, ["PyErr_Print", "crc32"], failed.stderr)
        let r = try XCTUnwrap(LinkReplay.run(text, base: DiagnoseOptions(inputs: [])))
        // `<sysroot>` and the omitted-objects placeholder are never taken for paths.
        XCTAssertEqual(r.diagnose.errors.map(\.description), [])
        XCTAssertFalse(r.command.inputs.contains { $0.contains("<") }, "\(r.command.inputs)")
        XCTAssertGreaterThan(r.command.omittedObjects, 0)
        XCTAssertTrue(r.command.inputs.contains { $0.hasSuffix(".rlib") && $0.contains("libstd-") }, "\(r.command.inputs)")
        let d = try XCTUnwrap(r.diagnose.diagnosis)
        XCTAssertEqual(Set(d.unresolved.map(\.name)), theirs)
        XCTAssertFalse(d.verdictOK)
        // What the omitted objects needed is unknown: no library is called unused.
        XCTAssertNil(d.findings.first { $0.id.rawValue == "unused-library" || $0.id.rawValue == "library-not-found" || $0.id.rawValue == "library-unusable" }, "\(d.findings)")
        // rustc's line has -lm and -lgcc_s (in gcc's own directory): neither is asked for or missing.
        XCTAssertFalse(d.missingLinkArguments.contains("-lm"), "\(d.missingLinkArguments)")
        // The fix: drop what symscan says to drop (-z defs makes the interpreter's symbols
        // errors in a Linux extension module), add what it says is missing.
        XCTAssertEqual(d.removeLinkArguments, ["-Wl,-z,defs"])
        let kept = Array(args.dropLast(2))  // "-C", "link-arg=-Wl,-z,defs"
        let fixed = try runTool(rustc, kept + d.missingLinkArguments.flatMap { ["-C", "link-arg=\($0)"] })
        XCTAssertEqual(fixed.status, 0, "with \(d.missingLinkArguments), without -z defs: \(fixed.stderr)")
    }
}
