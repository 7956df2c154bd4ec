import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import TestSupport
import XCOFF
import XCTest

final class ImportExportFileTests: XCTestCase {
    func parse(_ text: String) throws -> ImportExportFile {
        let dir = try TempDir()
        let path = try dir.write("t.exp", Array(text.utf8))
        return try ImportExportFile(try MappedFile(path: path).region)
    }

    func testModuleLinesModesCommentsAndQualifiers() throws {
        let f = try parse("""
            * an export list, then imports
            exported_one
            #! /usr/lib/libpython3.9.a(libpython3.9.so)
            # 64
            PyErr_Print
              _Py_Dealloc   svc
            # 32
            only32 0x1000
            #!
            deferred_one
            #! .
            from_main
            #!..
            from_rtl
            # this is a comment
            last\r
            """)
        let names = f.entries.map(\.name.string)
        XCTAssertEqual(names, ["exported_one", "PyErr_Print", "_Py_Dealloc", "only32", "deferred_one", "from_main", "from_rtl", "last"])
        XCTAssertEqual(f.entries[0].source, .none)
        XCTAssertEqual(f.entries[1].source, .module(ImportModule(path: "/usr/lib", base: "libpython3.9.a", member: "libpython3.9.so")))
        XCTAssertEqual(f.entries[1].mode, .only64)
        XCTAssertEqual(f.entries[2].qualifier?.string, "svc")
        XCTAssertEqual(f.entries[3].mode, .only32)
        XCTAssertEqual(f.entries[3].qualifier?.string, "0x1000")
        XCTAssertEqual(f.entries[4].source, .deferred)
        XCTAssertEqual(f.entries[5].source, .mainProgram)
        XCTAssertEqual(f.entries[6].source, .runtimeLinker)
        XCTAssertEqual(f.entries[7].name.string, "last")
        XCTAssertFalse(f.startsWithModuleLine)
        XCTAssertEqual(f.modules.map(\.displayName), ["/usr/lib/libpython3.9.a(libpython3.9.so)"])
    }

    func testRealExportListsFromTheCorpus() throws {
        let dir = try Paths.real("xcoff-corpus/files")
        let httpd = try ImportExportFile(try MappedFile(path: dir.appendingPathComponent("httpd13-httpd.exp").path).region)
        XCTAssertEqual(httpd.entries.count, 432, "MANIFEST.md: 432 names")
        XCTAssertTrue(httpd.startsWithModuleLine)
        XCTAssertTrue(httpd.entries.allSatisfy { $0.source == .mainProgram })
        let rewrite = try ImportExportFile(try MappedFile(path: dir.appendingPathComponent("httpd24-mod_rewrite.exp").path).region)
        XCTAssertEqual(rewrite.entries.map(\.name.string), ["rewrite_module"])
        XCTAssertEqual(rewrite.entries[0].source, .none)
    }

    func testCPythonPythonExpImportsEveryNameFromTheMainProgram() throws {
        let url = try Paths.real("aix-fixtures/python.exp")
        let r = ImageLoader.load(path: url.path)
        let image = try XCTUnwrap(r.images.first)
        XCTAssertEqual(image.format, .exp)
        XCTAssertEqual(image.symbols.count, 1655, "README: the 1655 names")
        XCTAssertEqual(image.dynamic?.imports.count, 1655)
        XCTAssertTrue(image.dynamic?.imports.allSatisfy { $0.module?.base == "." } ?? false)
    }

    func testBinaryDataIsNotAnImportList() throws {
        let dir = try TempDir()
        let path = try dir.write("x.exp", [0x23, 0x21, 0x0A, 0x66, 0x01, 0x0A])
        let r = ImageLoader.load(path: path)
        XCTAssertEqual(r.errors.first?.description,
                       "\(path): import/export file line: control byte 0x1 in a text file (is this really an import/export list?) (at byte offset 4)")
    }
}
