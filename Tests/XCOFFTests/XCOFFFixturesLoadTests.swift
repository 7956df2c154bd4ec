import MappedFile
import ObjectModel
import XCOFF
import TestSupport
import XCTest

/// The committed XCOFF fixtures still parse (a smoke test next to the format's own tests).
final class XCOFFFixturesLoadTests: XCTestCase {
    func testFixturesParse() throws {
        for (dir, format) in [("xcoff32", ImageFormat.xcoff32), ("xcoff64", .xcoff64)] {
            for name in ["names.o", "demo.o"] {
                let file = try MappedFile(path: Paths.testBinaries.path + "/\(dir)/\(name)")
                let image = try XCOFFFile(file.region).image(path: name)
                XCTAssertEqual(image.format, format)
                XCTAssertFalse(image.symbols.isEmpty)
            }
        }
    }
}
