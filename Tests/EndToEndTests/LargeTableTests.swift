import Foundation
import TestSupport
import XCTest

/// Large tables (XCOFF: all; ELF: from 8192 entries) are decoded as they are listed, a chunk per
/// task on all cores (`SymbolDecoder`, `ListingPipeline`). Their listings must be exactly the
/// oracles', in table order across chunk boundaries, and the same on one thread as on many.
final class LargeTableTests: XCTestCase {
    /// XCOFF objects of `n` functions, each calling its own undefined extern: 3n symbols
    /// (a function's csect, its label and its extern), compiled by clang for AIX.
    static func xcoff(_ dir: TempDir, bits: Int, functions n: Int) throws -> String {
        var c = ""
        for i in 0..<n { c += "extern int ext_\(i)(int);\n" }
        for i in 0..<n { c += "int fn_\(i)(int x) { return ext_\(i)(x) + \(i); }\n" }
        let src = try dir.write("big\(bits).c", Array(c.utf8))
        let out = dir.url.appendingPathComponent("big\(bits).o").path
        let target = bits == 64 ? "powerpc64-ibm-aix" : "powerpc-ibm-aix"
        let r = try runTool("/opt/swift/usr/bin/clang", ["--target=\(target)", "-O0", "-c", src, "-o", out])
        guard r.status == 0 else { throw XCTSkip("clang for AIX failed: \(r.stderr)") }
        return out
    }

    func testXCOFFTablesOfSeveralChunksMatchLLVMNM() throws {
        let dir = try TempDir()
        for bits in [32, 64] {
            let object = try Self.xcoff(dir, bits: bits, functions: 6000)
            let theirs = try runTool(llvmNM, ["-a", "--no-sort", object])
            XCTAssertGreaterThan(theirs.stdout.split(separator: "\n").count, 2 * 8192, "the test needs several chunks")
            for jobs in ["1", "2", "4"] {
                let ours = try runSymscan(["symbols", "--jobs", jobs, "--no-demangle", object])
                XCTAssertEqual(ours.status, 0, ours.stderr)
                XCTAssertEqual(ours.stdout, theirs.stdout, "XCOFF\(bits), --jobs \(jobs)")
            }
            let undefined = try runSymscan(["symbols", "-u", object]).stdout
            XCTAssertEqual(undefined, try runTool(llvmNM, ["-u", "--no-sort", object]).stdout, "XCOFF\(bits) -u")
        }
    }

    func testJSONOfSeveralChunksIsOneArrayInTableOrder() throws {
        let dir = try TempDir()
        let object = try Self.xcoff(dir, bits: 64, functions: 6000)
        let serial = try runSymscan(["symbols", "--jobs", "1", "--format", "json", "-g", object])
        let parallel = try runSymscan(["symbols", "--jobs", "3", "--format", "json", "-g", object])
        XCTAssertEqual(serial.stdout, parallel.stdout)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(parallel.stdout.utf8)) as? [String: Any])
        let files = try XCTUnwrap(root["files"] as? [[String: Any]])
        let names = try XCTUnwrap(files.first?["symbols"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        let theirs = try runTool(llvmNM, ["-g", "--no-sort", "-j", object]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(names, theirs)
    }

    func testLargeELFTablesMatchNM() throws {
        let cases: [(path: String, dynamic: Bool)] = [
            ("/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1", true),     // 45k .dynsym entries, versioned
            ("/opt/swift/usr/lib/libsourcekitdInProc.so", false),   // 300k .symtab entries
        ]
        var tested = 0
        for (path, dynamic) in cases where FileManager.default.fileExists(atPath: path) {
            let d = dynamic ? ["-D"] : []
            let theirs = try runTool("/usr/bin/nm", d + ["-p", path]).stdout
            for jobs in ["1", "2"] {
                let ours = try runTool(Paths.symscan.path, ["symbols", "--jobs", jobs, "--no-demangle"] + d + [path])
                XCTAssertEqual(ours.status, 0, ours.stderr)
                XCTAssertTrue(ours.stdout == theirs, "\(path) --jobs \(jobs): differs from nm \(d.joined()) -p")
            }
            tested += 1
        }
        if tested == 0 { throw XCTSkip("neither libLLVM-14 (llvm-14) nor the toolchain's libsourcekitdInProc is here") }
    }

    /// The same options spelled differently take the same path and give the same listing; a
    /// usage error gets ArgumentParser's message whatever the spelling.
    func testSpellingsOfTheSameOptionsGiveTheSameListing() throws {
        let so = Paths.testBinaries.appendingPathComponent("elf64/_demo.so").path
        let groups: [[[String]]] = [
            [["-u", "-D", so], ["-uD", so], ["--undefined-only", "--dynamic", so], [so, "-D", "-u"], ["-D", "-u", "--", so]],
            [["--format", "json", "-g", so], ["--format=json", "--extern-only", so], ["-g", so, "--format", "json"]],
            [["--jobs", "1", so], ["--jobs=1", so], ["-j", "1", so], [so]],
        ]
        for group in groups {
            let first = try runSymscan(["symbols"] + group[0])
            XCTAssertEqual(first.status, 0, first.stderr)
            for args in group.dropFirst() {
                let r = try runSymscan(["symbols"] + args)
                XCTAssertEqual(r.stdout, first.stdout, "\(args) against \(group[0])")
                XCTAssertEqual(r.status, first.status, "\(args)")
            }
        }
        for (args, message) in [(["-j", "0", so], "--jobs must be at least 1"),
                                (["--format=yaml", so], "yaml"),
                                (["--defined-only", "-u", so], "cannot be used together"),
                                (["--bogus", so], "Unknown option"),
                                ([] as [String], "<files>")] {
            let r = try runSymscan(["symbols"] + args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }
}
