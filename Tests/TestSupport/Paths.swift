import Foundation
import XCTest

/// Where the repository, its test binaries and the shared real-data corpora are.
public enum Paths {
    /// The package root, found from this source file's location.
    public static let repo: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let testBinaries = repo.appendingPathComponent("TestBinaries")

    /// `../shared` beside the repository: present on CI and developer machines, absent in a
    /// user's own clone. Tests that need it skip with a visible message when it is missing.
    public static let shared = repo.deletingLastPathComponent().appendingPathComponent("shared")

    public static func requireShared(_ sub: String) throws -> URL {
        let url = shared.appendingPathComponent(sub)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("SKIPPED: \(url.path) is absent (it exists on CI and developer machines, not in a user's clone)")
        }
        return url
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
