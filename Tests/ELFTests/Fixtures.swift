import Foundation

/// Paths of the committed fixtures (TestBinaries/) and scratch directories.
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/TestBinaries"
    }()

    static func path(_ rel: String) -> String { root + "/" + rel }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "symscan-elf-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
