import Foundation
import TestSupport

/// Paths of the committed fixtures (TestBinaries/) and scratch directories.
enum Fixtures {
    static let root = Paths.testBinaries.path

    static func path(_ rel: String) -> String { root + "/" + rel }

    static func temporaryDirectory() throws -> String { try makeScratchDirectory("elf-tests") }
}
