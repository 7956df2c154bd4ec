import Foundation
import ImageLoader
import MappedFile
import ObjectModel
import XCTest
import Demangle

/// `ar` archives against GNU ar (member lists) and nm (symbols per member).
final class ArchiveTests: XCTestCase {
    /// nm's output for an archive: member name → its symbol lines, in archive order.
    static func nmByMember(_ text: String) -> [(String, [String])] {
        var out: [(String, [String])] = []
        var afterBlank = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { afterBlank = true; continue }
            if afterBlank && line.hasSuffix(":") {
                out.append((String(line.dropLast()), []))
            } else if !out.isEmpty {
                out[out.count - 1].1.append(String(line))
            }
            afterBlank = false
        }
        return out
    }

    /// `skipping`: members `ar t` lists that are not ELF objects (we skip them with a note) or
    /// that GNU ar does not know as a symbol index (BSD `__.SYMDEF`).
    private func compareWithTools(_ path: String, demangle: Bool, skipping: Set<String> = []) -> (members: Int, symbols: Int) {
        let r = loadImages(path)
        let members = NMFormat.split(Oracle.run(["ar", "t", path])).filter { !skipping.contains($0) }
        _ = NMFormat.assertSame(r.images.compactMap(\.member), members, "members of \(path) vs ar t")
        let nm = Self.nmByMember(Oracle.run(["nm", "-p"] + (demangle ? ["-C"] : []) + [path], allowFailure: true))
        let d = DemanglerBox()
        var symbols = 0
        XCTAssertEqual(r.images.count, nm.count, "members nm lists in \(path)")
        for (image, (name, lines)) in zip(r.images, nm) {
            XCTAssertEqual(image.member, name)
            let ours = NMFormat.lines(image.symbols, is64: image.format == .elf64, demangle: demangle ? { d.demangle($0) } : nil)
            _ = NMFormat.assertSame(ours, lines, "nm\(demangle ? " -C" : "") \(path)(\(name))")
            symbols += ours.count
        }
        return (r.images.count, symbols)
    }

    /// libLLVMCodeGen.a (llvm-14-dev): ~200 C++ members, ~30000 symbols, raw and demangled.
    func testLLVMCodeGenArchiveMatchesArAndNM() throws {
        let path = "/usr/lib/llvm-14/lib/libLLVMCodeGen.a"
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("\(path) is missing: apt-get install llvm-14-dev")
        }
        let raw = compareWithTools(path, demangle: false)
        let demangled = compareWithTools(path, demangle: true)
        print("libLLVMCodeGen.a: \(raw.members) members, \(raw.symbols) symbols (raw and demangled: \(demangled.symbols)) equal ar t / nm / nm -C")
        XCTAssertGreaterThan(raw.members, 100)
    }

    func testFixtureArchive() {
        let r = compareWithTools(Fixtures.path("elf64/libnames.a"), demangle: false)
        XCTAssertEqual(r.members, 2)
    }

    /// A Rust-style archive: ELF members, a `lib.rmeta` that is not ELF, and a member name longer
    /// than 15 bytes (GNU `//` table). Also the BSD name format (`#1/N`) written by llvm-ar.
    func testRlibWithMetadataAndLongNames() throws {
        let dir = try Fixtures.temporaryDirectory()
        let long = dir + "/a_member_with_a_long_name.o"
        try FileManager.default.copyItem(atPath: Fixtures.path("elf64/names.o"), toPath: long)
        try Data("rust metadata, not ELF\n".utf8).write(to: URL(fileURLWithPath: dir + "/lib.rmeta"))
        let rlib = dir + "/libdemo.rlib"
        _ = Oracle.run(["ar", "rc", rlib, Fixtures.path("elf64/demo.o"), dir + "/lib.rmeta", long])
        let r = loadImages(rlib)
        XCTAssertEqual(r.images.compactMap(\.member), ["demo.o", "a_member_with_a_long_name.o"])
        XCTAssertEqual(r.notes, ["\(rlib)(lib.rmeta): skipped: not an ELF object"])
        _ = compareWithTools(rlib, demangle: false, skipping: ["lib.rmeta"])

        let llvmAr = "/opt/swift/usr/bin/llvm-ar"
        if FileManager.default.isExecutableFile(atPath: llvmAr) {
            let bsd = dir + "/libbsd.a"
            _ = Oracle.run([llvmAr, "--format=bsd", "rc", bsd, Fixtures.path("elf64/names.o"), long])
            let b = loadImages(bsd)
            XCTAssertEqual(b.images.compactMap(\.member), ["names.o", "a_member_with_a_long_name.o"])
            XCTAssertEqual(b.images.last?.symbols.count, r.images.last?.symbols.count)
            _ = compareWithTools(bsd, demangle: false, skipping: ["__.SYMDEF", "__.SYMDEF SORTED"])
        }
    }

    func testThinArchiveIsRefusedInOneLine() throws {
        let dir = try Fixtures.temporaryDirectory()
        let thin = dir + "/libthin.a"
        _ = Oracle.run(["ar", "rcT", thin, Fixtures.path("elf64/names.o")])
        let r = ImageLoader.load(path: thin)
        XCTAssertTrue(r.images.isEmpty)
        XCTAssertEqual(r.errors.count, 1)
        let message = r.errors.first?.description ?? ""
        XCTAssertTrue(message.contains("thin archive"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    func testTruncatedArchiveMemberIsAnErrorWithOffset() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("elf64/libnames.a")))
        let dir = try Fixtures.temporaryDirectory()
        let cut = dir + "/cut.a"
        try data.prefix(data.count - 100).write(to: URL(fileURLWithPath: cut))
        let r = ImageLoader.load(path: cut)
        XCTAssertEqual(r.errors.count, 1, "\(r.errors)")
        XCTAssertNotNil(r.errors.first?.offset)
    }
}

/// A `Demangler` in a class, so an escaping closure can use it.
final class DemanglerBox {
    private var d = Demangler()
    func demangle(_ n: NameView) -> String? { d.demangled(n) }
}
