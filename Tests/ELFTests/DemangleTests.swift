import Demangle
import Foundation
import MappedFile
import ObjectModel
import XCTest

/// Demangled names against `nm -C` on a C++ library and on Rust extension modules.
final class DemangleTests: XCTestCase {
    private func view<R>(_ s: String, _ body: (NameView) -> R) -> R {
        var s = s
        return s.withUTF8 { body(NameView(start: UnsafeRawPointer($0.baseAddress), count: $0.count)) }
    }

    func testKnownNames() {
        var d = Demangler()
        XCTAssertEqual(view("_Z3fooi") { d.demangled($0) }, "foo(int)")
        XCTAssertEqual(view("_ZNK3Bar3bazEv") { d.demangled($0) }, "Bar::baz() const")
        XCTAssertNil(view("PyInit__demo") { d.demangled($0) })
        XCTAssertNil(view("_Znot_really") { d.demangled($0) })
        // Legacy Rust: the hash is dropped, as nm -C does.
        XCTAssertEqual(view("_ZN4core3fmt5write17h0123456789abcdefE") { d.demangled($0) }, "core::fmt::write")
    }

    /// Remembered results are the demangler's own, for names seen again, for names that are not
    /// valid mangled names, and for names whose bytes are gone (the memory is reused) by the
    /// time they are asked for again.
    func testRememberedNamesAreTheDemanglersOwn() {
        var plain = Demangler()
        var remembering = Demangler()
        var names = ["_Z3fooi", "_ZNK3Bar3bazEv", "_Znot_really", "_ZN4core3fmt5write17h0123456789abcdefE",
                     "_ZNSt6vectorIiSaIiEE9push_backERKi", "_RNvCs1234_7mycrate3foo", "PyInit__demo", ".__Z3fooi"]
        for i in 0..<3000 { names.append("_Z\(2 + String(i).count)fn\(i)i") }
        for round in 0..<3 {
            for n in names {
                // A fresh copy each time: a remembered name must not point at the caller's bytes.
                let expected = view(n) { plain.demangled($0) }
                let got = view(String(n)) { v in remembering.withDemangled(v, remembering: true) { $0.string } }
                XCTAssertEqual(got, expected, "\(n), round \(round)")
            }
        }
    }

    /// Compares one file's table (`.symtab`, or `.dynsym` when `dynamic`) with nm -C; returns
    /// how many names demangling changed.
    @discardableResult
    private func compare(_ path: String, dynamic: Bool) -> (lines: Int, changed: Int, rustV0: Int, rustLegacy: Int) {
        guard let image = loadImages(path).images.first else { XCTFail("\(path): no image"); return (0, 0, 0, 0) }
        let symbols = dynamic ? (image.dynamic?.symbols ?? []) : image.symbols
        let box = DemanglerBox()
        let ours = NMFormat.lines(symbols, is64: image.format == .elf64, demangle: { box.demangle($0) })
        let theirs = NMFormat.split(Oracle.run(["nm", "-p", "-C"] + (dynamic ? ["-D"] : []) + [path]))
        _ = NMFormat.assertSame(ours, theirs, "nm -C\(dynamic ? " -D" : "") \(path)")
        var changed = 0, v0 = 0, legacy = 0
        for s in symbols where box.demangle(s.name) != nil {
            changed += 1
            if s.name.hasPrefix("_R") { v0 += 1 }
            if s.name.hasPrefix("_ZN") && s.name.string.hasSuffix("E") && s.name.string.contains("17h") { legacy += 1 }
        }
        return (ours.count, changed, v0, legacy)
    }

    func testLibstdcxxDynamicSymbolsMatchNMC() throws {
        let candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("no libstdc++.so.6")
        }
        let r = compare(path, dynamic: true)
        print("nm -C -D libstdc++: \(r.lines) symbols, \(r.changed) demangled")
        XCTAssertGreaterThan(r.changed, 1000)
    }

    /// Rust extension modules from site-packages: `.symtab` when present (it holds the Rust
    /// names; the dynamic table of a Python module has few), else `.dynsym`.
    func testRustExtensionModulesMatchNMC() throws {
        guard let py = Oracle.python else { throw XCTSkip("python3 not found") }
        let wanted = ["cryptography/hazmat/bindings/_rust.abi3.so", "rpds/", "pydantic_core/"]
        let files = py.sitePackages.flatMap { Oracle.sharedObjects(under: $0) }
            .filter { f in wanted.contains { f.contains($0) } }
        guard !files.isEmpty else { throw XCTSkip("no Rust extension module (cryptography, rpds, pydantic_core) installed") }
        var v0 = 0, legacy = 0
        for f in files {
            let hasSymtab = loadImages(f).images.first.map { !$0.symbols.isEmpty } ?? false
            let r = compare(f, dynamic: !hasSymtab)
            v0 += r.rustV0; legacy += r.rustLegacy
            print("nm -C \(hasSymtab ? "" : "-D ")\(f): \(r.lines) symbols, \(r.changed) demangled (\(r.rustV0) Rust v0, \(r.rustLegacy) Rust legacy)")
        }
        XCTAssertGreaterThan(v0 + legacy, 0, "no Rust names were demangled: the comparison did not exercise Rust")
    }
}
