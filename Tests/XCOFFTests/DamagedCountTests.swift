import Foundation
import ImageLoader
import TestSupport
import XCTest

/// A count that is impossible for the file is damage, reported with its offset, never read as
/// "empty": llvm-nm (LLVM 21, shipped with the toolchain) is the oracle that refuses it too.
final class DamagedCountTests: XCTestCase {
    /// XCOFF64 `f_nsyms` is unsigned: bit 31 set is a table of 2^31 entries, far past the end.
    func testXCOFF64SymbolCountWithBit31IsAnError() throws {
        for fixture in ["xcoff64/names.o", "xcoff64/uses_names.o", "xcoff64/demo.o"] {
            let (path, dir) = try damaged(fixture, at: 20)
            defer { withExtendedLifetime(dir) {} }
            let oracle = try runTool(llvmNM, [path])
            XCTAssertNotEqual(oracle.status, 0, "llvm-nm accepted \(fixture)")
            XCTAssertTrue(oracle.stderr.contains("symbol table"), oracle.stderr)
            let r = ImageLoader.load(path: path)
            XCTAssertEqual(r.errors.count, 1, "\(fixture): \(r.errors)")
            XCTAssertTrue(r.errors.first?.description.contains("symbol table") ?? false, "\(r.errors)")
            XCTAssertNotNil(r.errors.first?.offset)
            XCTAssertTrue(r.images.isEmpty, fixture)
        }
    }

    /// XCOFF32 `f_nsyms` is signed and negative values are reserved. llvm-nm lists "no symbols"
    /// for it; symscan is stricter on purpose (an object whose undefined references vanish would
    /// be diagnosed OK): an error at the field's offset.
    func testXCOFF32NegativeSymbolCountIsAnError() throws {
        let (path, dir) = try damaged("xcoff32/names.o", at: 12)
        defer { withExtendedLifetime(dir) {} }
        let oracle = try runTool(llvmNM, [path])
        XCTAssertTrue(oracle.status != 0 || (oracle.stdout + oracle.stderr).contains("no symbols"), oracle.stdout + oracle.stderr)
        let r = ImageLoader.load(path: path)
        XCTAssertEqual(r.errors.count, 1, "\(r.errors)")
        XCTAssertEqual(r.errors.first?.offset, 12, "\(r.errors)")
        XCTAssertTrue(r.images.isEmpty)
    }

    func damaged(_ fixture: String, at offset: Int) throws -> (String, TempDir) {
        let dir = try TempDir()
        var bytes = try readBytes(Paths.testBinaries.appendingPathComponent(fixture).path)
        let good = bytes.get32(offset)
        XCTAssertGreaterThan(good, 0, fixture)
        bytes.put32(offset, good | 0x8000_0000)
        return (try dir.write("damaged.o", bytes), dir)
    }
}
