import Foundation
import TestSupport
import XCTest

/// `symscan symbols DIR`: recursive scans, skipped non-objects, deterministic parallel output.
final class DirectoryScanTests: XCTestCase {
    func symscan(_ args: [String]) throws -> RunResult {
        try runTool(Paths.symscan.path, args)
    }

    /// A tree of our fixtures (objects, archives of both families, a shared object) with text
    /// and empty files among them; returns the directory and its object files in scan order.
    private func tree() throws -> (TempDir, [String]) {
        let dir = try TempDir()
        let fm = FileManager.default
        for sub in ["a", "a/deeper", "b"] {
            try fm.createDirectory(at: dir.url.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let copies = [("xcoff64/demo.o", "a/deeper/demo64.o"), ("xcoff32/libnames.a", "a/libnames32.a"),
                      ("elf64/_demo.so", "a/_demo.so"), ("elf64/libnames.a", "b/libelfnames.a"),
                      ("xcoff64/libnames.a", "b/libnames64.a"), ("elf64/names.o", "z.o")]
        for (from, to) in copies {
            try fm.copyItem(at: Paths.testBinaries.appendingPathComponent(from), to: dir.url.appendingPathComponent(to))
        }
        try dir.write("a/README.txt", Array("not an object\n".utf8))
        try dir.write("b/empty.o", [])
        try dir.write("b/script.sh", Array("#!/not/a/real/interpreter\nexit 0\n".utf8))
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("b/link.o").path,
                                  withDestinationPath: dir.url.appendingPathComponent("z.o").path)
        let order = ["a/_demo.so", "a/deeper/demo64.o", "a/libnames32.a", "b/libelfnames.a", "b/libnames64.a", "z.o"]
        return (dir, order.map { dir.url.appendingPathComponent($0).path })
    }

    func testADirectoryListsWhatItsObjectFilesListInSortedOrder() throws {
        let (dir, files) = try tree()
        let scanned = try symscan(["symbols", dir.url.path])
        XCTAssertEqual(scanned.status, 0, scanned.stderr)
        let named = try symscan(["symbols"] + files)
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertEqual(scanned.stdout, named.stdout)
        XCTAssertFalse(scanned.stdout.isEmpty)
        // README.txt, empty.o and script.sh are skipped and counted; the link is not followed.
        XCTAssertEqual(scanned.stderr, "symscan: note: \(dir.url.path): 3 files that are not an object, archive or shared object skipped\n")
        XCTAssertFalse(scanned.stdout.contains("link.o"))
    }

    func testNamedNonObjectIsStillAnError() throws {
        let (dir, _) = try tree()
        let r = try symscan(["symbols", dir.url.appendingPathComponent("a/README.txt").path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("not an object file"), r.stderr)
    }

    func testParallelOutputEqualsSerialOutput() throws {
        let (dir, _) = try tree()
        for format in ["text", "json"] {
            for extra in [[], ["-D"], ["-u", "-g"]] {
                let serial = try symscan(["symbols", "--jobs", "1", "--format", format] + extra + [dir.url.path])
                let parallel = try symscan(["symbols", "--jobs", "4", "--format", format] + extra + [dir.url.path])
                XCTAssertEqual(serial.stdout, parallel.stdout, "\(format) \(extra)")
                XCTAssertEqual(serial.stderr, parallel.stderr)
                XCTAssertEqual(serial.status, parallel.status)
            }
        }
    }

    func testJSONOfADirectoryIsOneDocumentWithOneEntryPerImage() throws {
        let (dir, files) = try tree()
        let r = try symscan(["symbols", "--format", "json", dir.url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let entries = try XCTUnwrap(root["files"] as? [[String: Any]])
        let named = try symscan(["symbols", "--format", "json"] + files)
        XCTAssertEqual(r.stdout, named.stdout)
        XCTAssertGreaterThan(entries.count, files.count, "archive members are entries of their own")
        XCTAssertEqual((root["errors"] as? [Any])?.count, 0)
    }

    func testABrokenObjectInADirectoryIsReported() throws {
        let dir = try TempDir()
        var bytes = try readBytes(Paths.testBinaries.appendingPathComponent("xcoff64/demo.o").path)
        bytes.removeLast(bytes.count - 100)
        let cut = try dir.write("cut.o", bytes)
        let r = try symscan(["symbols", dir.url.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("symscan: \(cut): truncated XCOFF section headers"), r.stderr)
    }

    func testJobsMustBePositive() throws {
        XCTAssertEqual(try symscan(["symbols", "--jobs", "0", Paths.testBinaries.path]).status, 2)
    }
}
