import Foundation
import TestSupport
import XCTest

/// A `.gnu.version_r` section of 1 MiB whose 32768 dependencies all point at one list of 32768
/// needed versions: a billion entries to walk (GNU nm and llvm-nm spend tens of seconds and
/// gigabytes on it). symscan refuses it as overlapping lists, at the section's offset, quickly;
/// the same library before the change still lists as `nm -D` lists it (the oracle).
final class VersionTableBoundsTests: XCTestCase {
    /// Appends a crafted section to a gcc-built library and points `.gnu.version_r` at it.
    static let generator = #"""
import struct, sys
src, dst, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = bytearray(open(src, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3A)
for i in range(shnum):
    h = shoff + i * shentsize
    name, typ, flags, addr, off, sz, link, info, align, ent = struct.unpack_from('<IIQQQQIIQQ', b, h)
    if typ == 0x6ffffffe:
        break
else:
    sys.exit('no .gnu.version_r')
vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from('<HHIII', b, off)
vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from('<IHHII', b, off + vn_aux)
half = size // 2
n_need, n_aux = half // 16, half // 16
blob = bytearray(size)
for k in range(n_need):
    o = 16 * k
    struct.pack_into('<HHIII', blob, o, 1, 0xFFFF, vn_file, half - o, 16 if k + 1 < n_need else 0)
for k in range(n_aux):
    struct.pack_into('<IHHII', blob, half + 16 * k, vna_hash, 0, vna_other, vna_name, 16 if k + 1 < n_aux else 0)
while len(b) % 8: b.append(0)
new_off = len(b)
b += blob
struct.pack_into('<IIQQQQIIQQ', b, h, name, typ, flags, addr, new_off, size, link, n_need, align, ent)
open(dst, 'wb').write(b)
"""#

    func testOverlappingNeededVersionListsAreAnErrorQuickly() throws {
        guard let cc = which("gcc") ?? which("cc"), let python = which("python3") else { throw XCTSkip("SKIPPED: no gcc or python3") }
        let dir = try TempDir()
        let src = try dir.write("v.c", Array("#include <stdio.h>\nvoid *PyInit__v(void) { printf(\"x\"); return 0; }\n".utf8))
        let good = dir.url.appendingPathComponent("_v.so").path
        let build = try runTool(cc, ["-shared", "-fPIC", "-o", good, src])
        XCTAssertEqual(build.status, 0, build.stderr)
        let listed = try ChildRun.symscan(["symbols", "-D", good])
        let nm = try runTool(which("nm") ?? "/usr/bin/nm", ["-D", good])
        XCTAssertEqual(Set(listed.stdout.split(separator: "\n")), Set(nm.stdout.split(separator: "\n")))
        XCTAssertTrue(listed.stdout.contains("@GLIBC_"), listed.stdout)

        let bad = dir.url.appendingPathComponent("_bad.so").path
        let made = try runTool(python, ["-c", Self.generator, good, bad, "1048576"])
        XCTAssertEqual(made.status, 0, made.stderr)
        for args in [["symbols", "-D", bad], ["diagnose", bad]] {
            let r = try ChildRun.symscan(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout) \(r.stderr)")
            XCTAssertEqual(r.errorLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(".gnu.version_r") && r.stderr.contains("at byte offset"), r.stderr)
            XCTAssertLessThan(r.seconds, 5, "\(args): \(r.seconds) s")
        }
    }
}
