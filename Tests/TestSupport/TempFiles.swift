import Foundation

/// A new, empty directory under the system's temporary directory, named for what it holds
/// (`symscan-LABEL-UUID`). `TempDir` removes its own; callers of this one remove it themselves.
public func makeScratchDirectory(_ label: String) throws -> String {
    let dir = NSTemporaryDirectory() + "symscan-\(label)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A scratch directory removed at the end of the test that made it.
public final class TempDir {
    public let url: URL

    public init(_ label: String = "test") throws {
        url = URL(fileURLWithPath: try makeScratchDirectory(label))
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a file in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let u = url.appendingPathComponent(name)
        try Data(bytes).write(to: u)
        return u.path
    }
}

/// Big-endian patching of test inputs.
public extension Array where Element == UInt8 {
    mutating func put16(_ offset: Int, _ v: UInt16) {
        self[offset] = UInt8(v >> 8); self[offset + 1] = UInt8(v & 0xFF)
    }

    mutating func put32(_ offset: Int, _ v: UInt32) {
        for i in 0..<4 { self[offset + i] = UInt8((v >> (24 - 8 * UInt32(i))) & 0xFF) }
    }

    mutating func put64(_ offset: Int, _ v: UInt64) {
        for i in 0..<8 { self[offset + i] = UInt8((v >> (56 - 8 * UInt64(i))) & 0xFF) }
    }

    func get32(_ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(self[offset + $1]) }
    }

    func get64(_ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(self[offset + $1]) }
    }
}

public func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
