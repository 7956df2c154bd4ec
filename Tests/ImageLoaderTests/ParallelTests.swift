import ImageLoader
import TestSupport
import XCTest

final class ParallelTests: XCTestCase {
    func testResultsComeBackInIndexOrder() {
        let n = 10_000
        let squares = Parallel.map(n) { i -> Int in
            // Uneven work, so that workers finish out of order.
            var x = 0
            for k in 0..<(i % 97) { x &+= k }
            return i * i + (x & 0)
        }
        XCTAssertEqual(squares, (0..<n).map { $0 * $0 })
    }

    func testEmptyAndSingleItem() {
        XCTAssertEqual(Parallel.map(0) { $0 }, [])
        XCTAssertEqual(Parallel.map(1) { $0 + 41 }, [41])
    }

    func testResultsWithReferencesAreNotLeakedOrDoubleFreed() {
        final class Probe { let v: Int; init(_ v: Int) { self.v = v } }
        let probes = Parallel.map(1000) { Probe($0) }
        XCTAssertEqual(probes.map(\.v), Array(0..<1000))
        weak var first = probes.first
        XCTAssertNotNil(first)
    }

    func testInputPathsExpandDirectoriesSortedAndKeepFiles() throws {
        let dir = try makeScratchDirectory("paths")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        for f in ["b", "a", "sub/c", "C"] { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
        let expansion = InputPaths.expand(["/explicit", dir])
        let inputs = expansion.inputs
        XCTAssertEqual(expansion.errors.count, 0)
        XCTAssertEqual(inputs.map(\.path), ["/explicit", dir + "/C", dir + "/a", dir + "/b", dir + "/sub/c"])
        XCTAssertEqual(inputs.map(\.directory), [nil, dir, dir, dir, dir])
    }
}

final class DirectoryWalkTests: XCTestCase {
    /// A tree wider and deeper than the threads that walk it: files kept by their first bytes
    /// (or a `.exp`/`.imp` name), the others counted; the order fixed whatever the threads.
    func testObjectLikeFilesAreKeptInOrderAndTheOthersCounted() throws {
        let root = try makeScratchDirectory("walk")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]
        let xcoff: [UInt8] = [0x01, 0xF7, 0, 0]
        var expected: [String] = []
        var turnedAway = 0
        for d in ["b", "a", "a/z", "a/z/y", "a/x", "c"] {
            try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
        }
        // Written in an order unlike the walk's; `expected` is sorted afterwards the walk's way.
        let files: [(String, [UInt8], Bool)] = [
            ("b/lib.so", elf, true), ("b/README", Array("text".utf8), false), ("a/z/y/m.o", xcoff, true),
            ("a/python.exp", Array("#!\n".utf8), true), ("a/z/empty.o", [], false), ("a/x/ar.a", Array("!<arch>\n".utf8), true),
            ("a/x/big.a", Array("<bigaf>\n".utf8), true), ("c/s.imp", [], true), ("c/t.py", Array("import os".utf8), false),
            ("a/Z.o", elf, true),
        ]
        for (path, bytes, kept) in files {
            FileManager.default.createFile(atPath: root + "/" + path, contents: Data(bytes))
            if kept { expected.append(path) } else { turnedAway += 1 }
        }
        // Depth first, names sorted bytewise: "Z.o" before "python.exp" before "x/", "z/".
        expected = ["a/Z.o", "a/python.exp", "a/x/ar.a", "a/x/big.a", "a/z/y/m.o", "b/lib.so", "c/s.imp"]
        let saved = Parallel.maxWorkers
        defer { Parallel.maxWorkers = saved }
        for workers in [1, 2, 5] {
            Parallel.maxWorkers = workers
            let e = InputPaths.expand([root], onlyObjectLike: true)
            XCTAssertEqual(e.inputs.map(\.path), expected.map { root + "/" + $0 }, "\(workers) workers")
            XCTAssertEqual(e.turnedAway.map(\.count), [turnedAway], "\(workers) workers")
            XCTAssertEqual(e.turnedAway.map(\.directory), [root])
            XCTAssertEqual(InputPaths.expand([root]).inputs.count, files.count, "without sniffing, every file")
        }
    }
}
