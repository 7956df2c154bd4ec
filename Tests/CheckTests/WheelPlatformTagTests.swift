import Check
import Linkage
import XCTest

/// What a wheel's platform tag says about the modules in it: the ELF machines it names, the C
/// library, and whether symscan can read them at all. (That the names are the ELF reader's is
/// checked end to end by WheelPlatformTests, on an aarch64 module built by ld.lld.)
final class WheelPlatformTagTests: XCTestCase {
    func tag(_ platform: String) throws -> WheelName {
        try XCTUnwrap(WheelName(fileName: "x-1.0-cp311-cp311-\(platform).whl"))
    }

    func testMachinesOfLinuxAndAndroidTags() throws {
        let cases: [(String, Set<String>)] = [
            ("manylinux_2_17_x86_64.manylinux2014_x86_64", ["x86-64"]),
            ("manylinux_2_28_aarch64", ["aarch64"]),
            ("musllinux_1_2_armv7l", ["arm"]),
            ("manylinux2014_i686", ["i386"]),
            ("manylinux_2_17_ppc64le", ["powerpc64"]),
            ("manylinux_2_17_s390x", ["s390"]),
            ("linux_riscv64", ["riscv"]),
            ("android_21_arm64_v8a", ["aarch64"]),
            ("any", []),
        ]
        for (platform, machines) in cases {
            XCTAssertEqual(try tag(platform).elfMachines, machines, platform)
        }
    }

    func testUnreadablePlatformsAndLibc() throws {
        XCTAssertNotNil(try tag("macosx_10_15_x86_64.macosx_11_0_arm64.macosx_10_15_universal2").unreadablePlatform)
        XCTAssertNotNil(try tag("win_amd64").unreadablePlatform)
        XCTAssertNotNil(try tag("win32").unreadablePlatform)
        XCTAssertNil(try tag("manylinux_2_17_x86_64").unreadablePlatform)
        XCTAssertNil(try tag("any").unreadablePlatform)
        XCTAssertEqual(try tag("musllinux_1_2_x86_64").musl, true)
        XCTAssertEqual(try tag("manylinux_2_17_x86_64.manylinux2014_x86_64").musl, false)
        XCTAssertNil(try tag("linux_x86_64").musl)
    }

    func testBaselineKeysAreSpelledOneWay() {
        for (given, key) in [("./build/_m.so", "build/_m.so"), ("build//x.whl!pkg/_m.so", "build/x.whl!pkg/_m.so"),
                             ("./././a/./b", "a/b"), ("/abs//dir/_m.so", "/abs/dir/_m.so"), ("../up/_m.so", "../up/_m.so")] {
            XCTAssertEqual(Baseline.normalisedKey(given), key, given)
        }
    }
}
