import MappedFile
import ObjectModel

/// A symbol an image needs from elsewhere, keyed for matching across formats.
public struct Reference: Sendable {
    /// The name matched against exports: an XCOFF entry point `.PyErr_Print` becomes `PyErr_Print`.
    public var key: NameView
    /// The name as the linker reports it (`.PyErr_Print` for an AIX function call).
    public var display: NameView
    public var weak: Bool
    /// The run-time module an executable or shared object already imports it from (XCOFF
    /// loader import file ID; nil for ELF, objects, and XCOFF imports with file index 0).
    public var module: ImportModule?
    /// True when the image already records a run-time import for it (loader section / .dynsym).
    public var isRuntimeImport: Bool
}

extension ObjectImage {
    /// The matching key of a symbol: XCOFF function entry points lose their leading dot, so a
    /// call to `.PyErr_Print` matches the export `PyErr_Print` (the function descriptor).
    func key(_ s: Symbol) -> NameView {
        if isXCOFF, s.kind == .function, s.name.first == UInt8(ascii: ".") { return s.name.dropFirst() }
        return s.name
    }

    /// Whether the image is linked output (uses its run-time tables) or an object (symbol table).
    var usesDynamicTables: Bool { (kind == .shared || kind == .executable) && dynamic != nil }

    /// What the image needs from other modules.
    public func references() -> [Reference] {
        if usesDynamicTables, let d = dynamic {
            if isXCOFF {
                return d.imports.map {
                    Reference(key: $0.name, display: $0.name, weak: $0.weak, module: $0.module, isRuntimeImport: true)
                }
            }
            return d.symbols.filter { !$0.defined && $0.isExternal }.map {
                Reference(key: $0.name, display: $0.name, weak: $0.binding == .weak, module: nil, isRuntimeImport: true)
            }
        }
        if format == .exp { return [] }
        return symbols.filter { !$0.defined && $0.isExternal }.map {
            Reference(key: key($0), display: $0.name, weak: $0.binding == .weak, module: nil, isRuntimeImport: false)
        }
    }

    /// What the image offers other modules: run-time exports of shared objects, external
    /// definitions of objects, every name of an import/export list.
    public func exportedKeys() -> [NameView] {
        if format == .exp { return symbols.map(\.name) }
        if usesDynamicTables, let d = dynamic {
            if isXCOFF { return d.exports }
            // One pass, without an intermediate array of symbols.
            var out: [NameView] = []
            out.reserveCapacity(d.symbols.count)
            for s in d.symbols where s.isLinkExport {
                out.append(s.name)
            }
            return out
        }
        var out: [NameView] = []
        for s in symbols where s.defined && s.isExternal && s.visibility != .hidden && s.visibility != .internal {
            out.append(key(s))
        }
        return out
    }

    /// What the image defines for the other inputs of the same link: an object's (or archive
    /// member's) every external definition, hidden and internal ones included, since visibility
    /// only decides what the linked output exports; a shared object's or import list's exports.
    func linkDefinedKeys() -> [NameView] {
        guard kind == .object, format != .exp, !usesDynamicTables else { return exportedKeys() }
        var out: [NameView] = []
        for s in symbols where s.defined && s.isExternal { out.append(key(s)) }
        return out
    }
}
