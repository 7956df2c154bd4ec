import Foundation
import ImageLoader
import TestSupport
import XCTest

/// Damaged ELF files must give one-line errors with byte offsets, never a crash.
final class MalformedTests: XCTestCase {
    private func write(_ data: Data, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func assertWellFormedErrors(_ r: LoadResult, size: Int, _ what: String) {
        for e in r.errors {
            XCTAssertFalse(e.description.contains("\n"), "\(what): multi-line error \(e)")
            if let o = e.offset { XCTAssertTrue(o >= 0 && o <= size, "\(what): offset \(o) outside \(size)-byte file") }
        }
    }

    func testTruncatedAtEveryBoundary() throws {
        let dir = try Fixtures.temporaryDirectory()
        for fixture in ["elf64/_demo.so", "elf-cross/elf32be/libversioned.so"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture)))
            var errors = 0
            for n in stride(from: 1, to: data.count, by: 97) {
                let path = try write(data.prefix(n), "cut.so", in: dir)
                let r = ImageLoader.load(path: path)
                assertWellFormedErrors(r, size: n, "\(fixture) cut at \(n)")
                if !r.errors.isEmpty { errors += 1 }
            }
            XCTAssertGreaterThan(errors, 0)
        }
    }

    func testBadHeaderFieldsNameTheirOffset() throws {
        let dir = try Fixtures.temporaryDirectory()
        let good = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("elf64/_demo.so")))
        var bad = good
        bad[4] = 7  // EI_CLASS
        var r = ImageLoader.load(path: try write(bad, "class.so", in: dir))
        XCTAssertEqual(r.errors.first?.offset, 4)
        bad = good
        for i in 0x28..<0x30 { bad[i] = 0x7F }  // e_shoff far past the end
        r = ImageLoader.load(path: try write(bad, "shoff.so", in: dir))
        XCTAssertEqual(r.errors.first?.offset, 0x28)
        XCTAssertTrue(r.errors.first?.message.contains("past the end") ?? false, "\(r.errors)")
    }

    /// Deterministic random byte corruption of section headers, tables and strings.
    func testRandomCorruptionNeverCrashes() throws {
        let dir = try Fixtures.temporaryDirectory()
        var rng = SplitMix64(seed: 42)
        for fixture in ["elf64/_demo.so", "elf-cross/elf64be/libversioned.so", "elf-cross/elf32le/libnames.so", "elf64/libnames.a"] {
            let good = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(fixture)))
            for round in 0..<150 {
                var bad = good
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let i = Int(rng.next() % UInt64(bad.count))
                    bad[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                let path = try write(bad, "bad\(round).bin", in: dir)
                let r = ImageLoader.load(path: path)
                assertWellFormedErrors(r, size: bad.count, "\(fixture) round \(round)")
                // Touch every name so a dangling view would show up under the sanitizer or crash.
                for image in r.images {
                    var total = 0
                    for s in image.symbols { total &+= s.name.count; _ = s.name.bytes.last }
                    for s in image.dynamic?.symbols ?? [] { total &+= s.name.count + (s.version?.count ?? 0) }
                    _ = total
                }
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
