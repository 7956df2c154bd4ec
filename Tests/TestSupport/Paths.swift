import Foundation
import XCTest

/// Where the repository, its test binaries and the shared real-data corpora are.
public enum Paths {
    /// The package root, found from this source file's location.
    public static let repo: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let testBinaries = repo.appendingPathComponent("TestBinaries")

    /// Real AIX data made outside this project (`real/xcoff-corpus`, with MANIFEST.md naming each
    /// file's source and licence) and real AIX links made for it (`real/aix-fixtures`, README.md
    /// says how); copied from the project's shared corpora so that every clone runs every test.
    public static let realData = testBinaries.appendingPathComponent("real")

    /// A file or directory under `realData`; a missing one is a broken checkout, so it fails.
    public static func real(_ sub: String) throws -> URL {
        let url = realData.appendingPathComponent(sub)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestDataMissing(path: url.path)
        }
        return url
    }

    public struct TestDataMissing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) is missing from the checkout" }
    }

    /// Regular files directly in a directory, sorted by name.
    public static func files(in dir: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDir) && !isDir.boolValue
        }
    }

    /// The built `symscan` executable, next to the test bundle.
    public static var symscan: URL {
        let dir = Bundle.main.bundleURL
        let candidates = [dir.appendingPathComponent("symscan"),
                          dir.deletingLastPathComponent().appendingPathComponent("symscan")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }
}
