import Foundation
import TestSupport
import XCTest

/// Wheels from an untrusted index that claim, or inflate to, far more than they hold. Each is
/// generated here by a small Python script (deflate blocks of zeros repeated after a full flush:
/// a 10 MB file that inflates to 10 GiB) and `check` must refuse it quickly, with one error
/// line and a peak resident set size of the child far below what it claims.
final class ZipBombTests: XCTestCase {
    /// Writes a zip by hand (the sizes are lies Python's zipfile would not write). Each member:
    /// name, kind (`zeros` GiB of zeros; `junk` GiB: a text head, 12 MB of random bytes, then
    /// zeros), and `offset0` to point its directory entry at the first member's local header.
    static let generator = #"""
        import os, struct, sys, zlib
        out_path, spec = sys.argv[1], sys.argv[2]
        UNIT = 1 << 20

        def stream(head, total):
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
            zeros = c.compress(b'\0' * UNIT) + c.flush(zlib.Z_FULL_FLUSH)
            again = c.compress(b'\0' * UNIT) + c.flush(zlib.Z_FULL_FLUSH)
            assert zeros == again
            n = (total - len(head)) // UNIT
            return first + zeros * n + c.flush(), len(head) + n * UNIT

        local, central, members = bytearray(), bytearray(), []
        for item in spec.split(';'):
            name, kind, gib, offset0 = item.split(':')
            total = int(float(gib) * (1 << 30))
            if offset0 == '1' and members:
                members.append((name, members[0][1], members[0][2], 0))
                continue
            if kind == 'zeros':
                head = b'\x7fELF\x02\x01\x01' + b'\0' * (UNIT - 7)
            else:
                head = b'not an object file\n' + os.urandom(12 * UNIT)
            data, size = stream(head, total)
            offset = len(local)
            if True:
                big = size >= 0xFFFFFFFF
                extra = struct.pack('<HHQQ', 1, 16, size, len(data)) if big else b''
                s32 = 0xFFFFFFFF if big else size
                c32 = 0xFFFFFFFF if big else len(data)
                local += struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, 8, 0, 0, 0, c32, s32, len(name), len(extra))
                local += name.encode() + extra + data
            members.append((name, size, len(data), offset))
        for name, size, csize, offset in members:
            big = size >= 0xFFFFFFFF
            extra = struct.pack('<HHQQ', 1, 16, size, csize) if big else b''
            central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 45, 45, 0, 8, 0, 0, 0,
                                   0xFFFFFFFF if big else csize, 0xFFFFFFFF if big else size,
                                   len(name), len(extra), 0, 0, 0, 0, offset)
            central += name.encode() + extra
        eocd = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(members), len(members), len(central), len(local), 0)
        with open(out_path, 'wb') as f:
            f.write(local + central + eocd)
        """#

    func makeWheel(_ dir: TempDir, _ spec: String) throws -> String {
        guard let python = which("python3") else { throw XCTSkip("SKIPPED: no python3") }
        let path = dir.url.appendingPathComponent("bomb-1.0-cp311-cp311-linux_x86_64.whl").path
        let r = try runTool(python, ["-c", Self.generator, path, spec])
        XCTAssertEqual(r.status, 0, r.stderr)
        return path
    }

    func assertRefusedQuickly(_ r: ChildRun, mentioning text: String, _ context: String) {
        print("\(context): exit \(r.status) in \(r.seconds) s, peak \(r.peakKiB) KiB")
        XCTAssertEqual(r.status, 2, "\(context): \(r.stdout) \(r.stderr)")
        XCTAssertEqual(r.signal, 0, context)
        XCTAssertTrue(r.stderr.contains(text), "\(context): \(r.stderr)")
        XCTAssertLessThan(r.seconds, 2, "\(context): \(r.seconds) s")
        XCTAssertLessThan(r.peakKiB, 100 * 1024, "\(context): peak \(r.peakKiB) KiB")
    }

    /// One member claiming 10 GiB (zip64 sizes), 10 MB in the wheel.
    func testTenGiBMemberIsRefused() throws {
        let dir = try TempDir()
        let wheel = try makeWheel(dir, "bomb/_core.so:zeros:10:0")
        let size = try FileManager.default.attributesOfItem(atPath: wheel)[.size] as? Int ?? 0
        XCTAssertLessThan(size, 12 << 20)
        let r = try ChildRun.symscan(["check", wheel])
        assertRefusedQuickly(r, mentioning: "bound", "10 GiB member")
        XCTAssertEqual(r.errorLines.filter { $0.contains("_core.so") }.count, 1, r.stderr)
    }

    /// 1000 directory entries pointing at one 1 GiB stream: refused before any is inflated.
    func testOverlappingEntriesAreRefused() throws {
        let dir = try TempDir()
        let spec = (0..<1000).map { "bomb/_m\($0).so:zeros:1:1" }.joined(separator: ";")
        let wheel = try makeWheel(dir, spec)
        let r = try ChildRun.symscan(["check", wheel])
        assertRefusedQuickly(r, mentioning: "overlap", "1000 overlapping entries")
        XCTAssertEqual(r.errorLines.count, 1, r.stderr)
    }

    /// A member under the bounds (900 MB at under 100:1, thanks to 12 MB of random bytes) that
    /// is not an object: only its first bytes are inflated, and the loader says what it is.
    func testNonObjectMemberIsSniffedNotInflated() throws {
        let dir = try TempDir()
        let wheel = try makeWheel(dir, "bomb/_text.so:junk:0.85:0")
        let r = try ChildRun.symscan(["check", wheel])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertLessThan(r.peakKiB, 100 * 1024, "peak \(r.peakKiB) KiB")
        XCTAssertLessThan(r.seconds, 2, "\(r.seconds) s")
        XCTAssertTrue(r.stdout.contains("_text.so"), r.stdout)
    }

    /// The bounds are options: lowered, a 32 MB member is refused for its size; raised, it is
    /// inflated (and then fails its CRC, which the generator does not compute): no bound named.
    func testLimitsAreOptions() throws {
        let dir = try TempDir()
        let wheel = try makeWheel(dir, "bomb/_core.so:zeros:0.03:0")
        let tight = try ChildRun.symscan(["check", "--wheel-limits", "member=1M", wheel])
        XCTAssertEqual(tight.status, 2, tight.stderr)
        XCTAssertTrue(tight.stderr.contains("member="), tight.stderr)
        let bad = try ChildRun.symscan(["check", "--wheel-limits", "member=lots", wheel])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.errorLines.count, 1, bad.stderr)
        let loose = try ChildRun.symscan(["check", "--wheel-limits", "member=2G,ratio=2000", wheel])
        XCTAssertFalse(loose.stderr.contains("bound"), loose.stderr)
    }
}
