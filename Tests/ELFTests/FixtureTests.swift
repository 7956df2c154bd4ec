import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import XCTest

/// The committed ELF fixtures: both classes, both byte orders, objects and versioned shared
/// objects (TestBinaries/build.sh), against nm and readelf.
final class FixtureTests: XCTestCase {
    static let crossDirs = ["elf32le", "elf32be", "elf64le", "elf64be"]

    func testEveryClassAndByteOrderMatchesNM() {
        var files = 0
        for dir in Self.crossDirs {
            for name in ["names.o", "versioned.o", "libnames.so", "libversioned.so"] {
                let path = Fixtures.path("elf-cross/\(dir)/\(name)")
                guard let image = loadImages(path).images.first else { XCTFail("\(path): no image"); continue }
                XCTAssertEqual(image.format, dir.hasPrefix("elf32") ? .elf32 : .elf64, path)
                XCTAssertEqual(image.kind, name.hasSuffix(".o") ? .object : .shared, path)
                let is64 = image.format == .elf64
                _ = NMFormat.assertSame(NMFormat.lines(image.symbols, is64: is64),
                                        NMFormat.split(Oracle.run(["nm", "-p", path])), "nm \(path)")
                if name.hasSuffix(".so") {
                    _ = NMFormat.assertSame(NMFormat.lines(image.dynamic?.symbols ?? [], is64: is64),
                                            NMFormat.split(Oracle.run(["nm", "-D", "-p", path])), "nm -D \(path)")
                }
                files += 1
            }
        }
        XCTAssertEqual(files, 16)
    }

    /// Versions, needed libraries, soname, rpath and runpath decoded the same in every layout.
    func testVersionsAndDynamicSectionInEveryLayout() throws {
        for dir in Self.crossDirs {
            let lib = Fixtures.path("elf-cross/\(dir)/libversioned.so")
            let d = try XCTUnwrap(loadImages(lib).images.first?.dynamic, lib)
            XCTAssertEqual(d.importModules.map(\.base), ["libnames.so.1"], lib)
            XCTAssertEqual(d.soname, "libversioned.so.1", lib)
            XCTAssertEqual(d.runpath, ["$ORIGIN", "$ORIGIN/../lib"], lib)
            XCTAssertEqual(d.rpath, [], lib)
            let v = d.symbols.map { s in s.name.string + (s.version.map { (s.versionDefault ? "@@" : "@") + $0.string } ?? "") }
            for expected in ["old_api@VERS_1.0", "old_api@@VERS_2.0", "versioned_api@@VERS_1.0",
                             "a_defined_function_with_long_name@NAMES_1.0", "initialised_data@NAMES_1.0"] {
                XCTAssertTrue(v.contains(expected), "\(lib): \(expected) missing from \(v)")
            }
            XCTAssertEqual(Set(d.imports.map(\.name.string)), ["a_defined_function_with_long_name", "initialised_data"], lib)
            XCTAssertEqual(Set(d.exports.map(\.string)), ["old_api", "versioned_api"], lib)

            let names = try XCTUnwrap(loadImages(Fixtures.path("elf-cross/\(dir)/libnames.so")).images.first?.dynamic)
            XCTAssertEqual(names.rpath, ["/opt/names/lib"])
            XCTAssertEqual(names.runpath, [])
        }
    }

    func testMachineAndOSABI() throws {
        let expected = ["elf32le": "i386", "elf32be": "powerpc", "elf64le": "aarch64", "elf64be": "powerpc64"]
        for (dir, machine) in expected {
            let image = try XCTUnwrap(loadImages(Fixtures.path("elf-cross/\(dir)/names.o")).images.first)
            XCTAssertEqual(image.machine, machine)
            XCTAssertNotNil(image.osABI)
            XCTAssertFalse(image.isAndroid)
        }
    }

    /// The Python interpreter is an executable (a PIE: ET_DYN with PT_INTERP and DF_1_PIE, or
    /// ET_EXEC); libpython is a shared object; `.o` files are objects.
    func testKinds() throws {
        let exe = Oracle.run(["python3", "-c", "import sys, os; print(os.path.realpath(sys.executable))"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if Oracle.isELF(exe) {
            XCTAssertEqual(loadImages(exe).images.first?.kind, .executable, exe)
        }
        if let lib = Oracle.python?.libpython {
            XCTAssertEqual(loadImages(lib).images.first?.kind, .shared, lib)
        }
        XCTAssertEqual(loadImages(Fixtures.path("elf64/demo.o")).images.first?.kind, .object)
        XCTAssertEqual(loadImages(Fixtures.path("elf64/_demo.so")).images.first?.kind, .shared)
    }
}
