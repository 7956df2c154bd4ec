import ImageLoader
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
        let dir = NSTemporaryDirectory() + "symscan-paths-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        for f in ["b", "a", "sub/c", "C"] { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
        let (inputs, errors) = InputPaths.expand(["/explicit", dir])
        XCTAssertEqual(errors.count, 0)
        XCTAssertEqual(inputs.map(\.path), ["/explicit", dir + "/C", dir + "/a", dir + "/b", dir + "/sub/c"])
        XCTAssertEqual(inputs.map(\.directory), [nil, dir, dir, dir, dir])
    }
}
