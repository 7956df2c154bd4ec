#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBFD
import MappedFile

/// Demangles C++ (Itanium ABI) and Rust (legacy and v0) symbol names as `nm -C` shows them.
///
/// Uses libbfd's `bfd_demangle`, the function GNU nm calls, with nm's options (parameters,
/// ANSI qualifiers, automatic style: Rust is tried before C++ because legacy Rust names are
/// also valid Itanium names). Names that cannot be mangled are rejected by their first bytes
/// before any C call, so plain C symbol tables cost one comparison per name.
///
/// A `Demangler` keeps one scratch buffer for the NUL-terminated copy of the name that the C
/// function needs (a `NameView` need not be NUL-terminated); use one per thread.
public struct Demangler {
    private var scratch: [CChar] = []

    /// nm's `-C` options: DMGL_PARAMS | DMGL_ANSI, with the automatic style.
    public static let nmOptions: Int32 = Int32(SYMSCAN_DMGL_PARAMS | SYMSCAN_DMGL_ANSI | SYMSCAN_DMGL_AUTO)

    public init() {}

    /// True when `name` could be a mangled C++ or Rust name (`_Z…`, `_R…`, `_GLOBAL_…`, with
    /// any leading dots, which `bfd_demangle` keeps in front of the result).
    public static func mayBeMangled(_ name: NameView) -> Bool {
        var v = name
        while v.first == UInt8(ascii: ".") { v = v.dropFirst() }
        return v.hasPrefix("_Z") || v.hasPrefix("_R") || v.hasPrefix("_GLOBAL_")
    }

    /// Calls `body` with the demangled form of `name` (valid only during the call) and returns
    /// its result; returns nil, without calling `body`, when `name` is not a mangled name.
    public mutating func withDemangled<R>(_ name: NameView, _ body: (NameView) throws -> R) rethrows -> R? {
        guard Demangler.mayBeMangled(name) else { return nil }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: name.bytes.lazy.map { CChar(bitPattern: $0) })
        // A NUL inside the bytes would cut the C string short; names never hold one.
        scratch.append(0)
        guard let out = scratch.withUnsafeBufferPointer({ bfd_demangle(nil, $0.baseAddress, Demangler.nmOptions) })
        else { return nil }
        defer { free(out) }
        return try body(NameView(start: UnsafeRawPointer(out), count: strlen(out)))
    }

    /// The demangled name as a `String`, or nil when `name` is not mangled (allocates; for
    /// JSON and tests, not the text hot path).
    public mutating func demangled(_ name: NameView) -> String? {
        withDemangled(name) { $0.string }
    }
}
