import Check
import XCTest

/// Wheel file names (PEP 427) and the name a baseline key gives a wheel: without its version
/// and build tag, with everything that tells two builds of one release apart.
final class WheelNameTests: XCTestCase {
    func testParsesTheFiveAndSixPartForms() throws {
        let w = try XCTUnwrap(WheelName(fileName: "mypkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"))
        XCTAssertEqual([w.distribution, w.version, w.python, w.abi, w.platform],
                       ["mypkg", "1.0", "cp311", "cp311", "manylinux_2_17_x86_64"])
        XCTAssertNil(w.build)
        XCTAssertEqual(w.versionless, "mypkg-cp311-cp311-manylinux_2_17_x86_64.whl")

        let tagged = try XCTUnwrap(WheelName(fileName: "mypkg-1.0.post2-12abc-cp311-cp311-manylinux_2_17_x86_64.whl"))
        XCTAssertEqual(tagged.version, "1.0.post2")
        XCTAssertEqual(tagged.build, "12abc")
        XCTAssertEqual(tagged.versionless, w.versionless)

        // Compressed tag sets stay whole: they are part of what the wheel runs on.
        let numpy = try XCTUnwrap(WheelName(fileName: "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"))
        XCTAssertEqual(numpy.platform, "manylinux_2_17_x86_64.manylinux2014_x86_64")
        XCTAssertEqual(WheelName(fileName: "pure_pkg-0.1-py2.py3-none-any.whl")?.python, "py2.py3")
    }

    func testNamesThatDoNotParseKeepTheirWholeName() {
        for name in ["x.whl", "mypkg-cp311-cp311-linux_x86_64.whl", "a-1-2-b-c-d-e.whl",
                     "mypkg-1.0-rc1-cp311-cp311-linux_x86_64.whl",  // a build tag starts with a digit
                     "mypkg--cp311-cp311-linux_x86_64.whl", "mypkg-1.0-cp311-cp311-.whl",
                     "mypkg-1.0-cp311-cp311-linux_x86_64.zip", "mypkg-1.0-cp311-cp311-linux_x86_64.WHL"] {
            XCTAssertNil(WheelName(fileName: name), name)
            XCTAssertEqual(WheelName.keyName(name), name)
        }
    }

    func testReleasesShareAKeyNameAndBuildsForOtherTargetsDoNot() {
        let key = WheelName.keyName("mypkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")
        XCTAssertEqual(key, "mypkg-cp311-cp311-manylinux_2_17_x86_64.whl")
        XCTAssertNil(WheelName(fileName: key), "a key name is never itself a parsable wheel name")
        for next in ["mypkg-1.1-cp311-cp311-manylinux_2_17_x86_64.whl", "mypkg-2024.1.1-3-cp311-cp311-manylinux_2_17_x86_64.whl"] {
            XCTAssertEqual(WheelName.keyName(next), key, next)
        }
        for other in ["mypkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "mypkg-1.0-cp311-abi3-manylinux_2_17_x86_64.whl",
                      "mypkg-1.0-cp311-cp311-musllinux_1_2_x86_64.whl", "mypkg-1.0-cp311-cp311-manylinux_2_17_aarch64.whl",
                      "otherpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"] {
            XCTAssertNotEqual(WheelName.keyName(other), key, other)
        }
    }
}
