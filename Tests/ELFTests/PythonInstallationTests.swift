import Foundation
import ImageLoader
import ObjectModel
import XCTest

/// Every ELF shared object of the Python installation (site-packages, lib-dynload, libpython)
/// against GNU nm and readelf, run live on the same files.
final class PythonInstallationTests: XCTestCase {
    private func files() throws -> [String] {
        guard let py = Oracle.python else { throw XCTSkip("python3 not found") }
        var all = py.sitePackages.flatMap { Oracle.sharedObjects(under: $0) } + Oracle.sharedObjects(under: py.libDynload)
        if let lib = py.libpython { all.append(lib) }
        let elf = Array(Set(all)).sorted().filter(Oracle.isELF)
        XCTAssertGreaterThan(elf.count, 10, "too few extension modules found to be a test")
        return elf
    }

    /// `.dynsym` line for line as `nm -D -p` prints it: value, letter, name and `@`/`@@` version.
    /// This covers defined and undefined symbols, weak and unique bindings, and versions.
    func testDynamicSymbolsMatchNM() throws {
        var compared = 0, symbols = 0, versioned = 0
        for path in try files() {
            let r = loadImages(path)
            guard let image = r.images.first else { XCTFail("\(path): no image"); continue }
            let ours = NMFormat.lines(image.dynamic?.symbols ?? [], is64: image.format == .elf64)
            let theirs = NMFormat.split(Oracle.run(["nm", "-D", "-p", path]))
            if NMFormat.assertSame(ours, theirs, "nm -D \(path)") { compared += 1 }
            symbols += ours.count
            versioned += image.dynamic?.symbols.filter { $0.version != nil }.count ?? 0
        }
        print("nm -D: \(compared) files identical, \(symbols) dynamic symbols, \(versioned) with versions")
        XCTAssertGreaterThan(versioned, 0)
    }

    /// DT_NEEDED (in order), DT_SONAME, DT_RUNPATH and DT_RPATH as `readelf -d` shows them, and
    /// the imports/exports derived from `.dynsym` against `readelf --dyn-syms -W`.
    func testDynamicSectionAndLinkageMatchReadelf() throws {
        var count = 0, needed = 0, imports = 0, exports = 0
        for path in try files() {
            guard let image = loadImages(path).images.first, let d = image.dynamic else {
                XCTFail("\(path): no dynamic info"); continue
            }
            let text = Oracle.run(["readelf", "-d", "--dyn-syms", "-W", path])
            let tags = Readelf.dynamicTags(text)
            XCTAssertEqual(d.importModules.map(\.base), tags["NEEDED"] ?? [], "NEEDED of \(path)")
            XCTAssertEqual(d.soname, tags["SONAME"]?.first, "SONAME of \(path)")
            XCTAssertEqual(d.runpath, (tags["RUNPATH"] ?? []).flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) },
                           "RUNPATH of \(path)")
            XCTAssertEqual(d.rpath, (tags["RPATH"] ?? []).flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) },
                           "RPATH of \(path)")
            let syms = Readelf.dynamicSymbols(text)
            let theirImports = syms.filter { $0.ndx == "UND" && ($0.bind == "GLOBAL" || $0.bind == "WEAK") }
                .map { "\($0.name) weak=\($0.bind == "WEAK")" }.sorted()
            let ourImports = d.imports.map { "\($0.name.string) weak=\($0.weak)" }.sorted()
            _ = NMFormat.assertSame(ourImports, theirImports, "imports of \(path)")
            let theirExports = syms.filter {
                $0.ndx != "UND" && ["GLOBAL", "WEAK", "UNIQUE"].contains($0.bind) && ["DEFAULT", "PROTECTED"].contains($0.vis)
            }.map(\.name).sorted()
            _ = NMFormat.assertSame(d.exports.map(\.string).sorted(), theirExports, "exports of \(path)")
            count += 1; needed += d.importModules.count; imports += ourImports.count; exports += theirExports.count
        }
        print("readelf: \(count) files, \(needed) DT_NEEDED, \(imports) imports, \(exports) exports compared")
    }
}

/// Parsers for `readelf -d --dyn-syms -W` output.
enum Readelf {
    /// `0x...01 (NEEDED)  Shared library: [libc.so.6]` → ["NEEDED": ["libc.so.6"]].
    static func dynamicTags(_ text: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix(" 0x"), let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { continue }
            let tag = String(line[line.index(after: open)..<close])
            guard ["NEEDED", "SONAME", "RPATH", "RUNPATH"].contains(tag),
                  let lb = line.firstIndex(of: "["), let rb = line.lastIndex(of: "]") else { continue }
            out[tag, default: []].append(String(line[line.index(after: lb)..<rb]))
        }
        return out
    }

    struct DynSym { var bind: String; var vis: String; var ndx: String; var name: String }

    /// `   1: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND free@GLIBC_2.2.5 (2)`; the
    /// version is cut off the name. Entry 0 (the null symbol) is left out.
    static func dynamicSymbols(_ text: String) -> [DynSym] {
        var out: [DynSym] = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Symbol table '.dynsym'") { inTable = true; continue }
            if inTable && line.isEmpty { inTable = false; continue }
            guard inTable else { continue }
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 7, f[0].hasSuffix(":"), f[0] != "0:" , f[0] != "Num:" else { continue }
            var name = f.count >= 8 ? String(f[7]) : ""
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            out.append(DynSym(bind: String(f[4]), vis: String(f[5]), ndx: String(f[6]), name: name))
        }
        return out
    }
}
