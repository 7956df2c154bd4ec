#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBFD
import MappedFile

/// Demangles C++ (Itanium ABI) and Rust (legacy and v0) symbol names as `nm -C` shows them.
///
/// Does what libbfd's `bfd_demangle` does for nm, with nm's options (parameters, ANSI
/// qualifiers, automatic style), but through libiberty's callback entry points (linked
/// statically from libiberty.a, see CBFD), so that
/// demangling a symbol table allocates nothing per name: `bfd_demangle` copies the name, lets
/// the demangler grow a `malloc`ed result with `realloc`, and copies it again to put back the
/// prefix and suffix. Steps, as in `bfd_demangle` (binutils 2.40, bfd/bfd.c) and
/// `cplus_demangle` (libiberty/cplus-dem.c): leading `.`s are set aside (XCOFF entry points,
/// PowerPC64 ELF) and put back in front of the result; a suffix from the first `@` on
/// (`@plt`, `@GLIBC_2.2.5`) is set aside and put back after it; the rest is tried as Rust
/// first (legacy Rust names are also valid Itanium names), then as Itanium C++.
/// Names that cannot be mangled are rejected by their first bytes before any C call, so plain
/// C symbol tables cost one comparison per name.
///
/// A `Demangler` owns two scratch buffers (the NUL-terminated copy of the name the C functions
/// need, since a `NameView` need not be NUL-terminated, and the demangled text) and the names
/// it was asked to remember; use one per thread. Copies of a `Demangler` share them.
public struct Demangler {
    private let scratch = Scratch()

    /// nm's `-C` options: DMGL_PARAMS | DMGL_ANSI, with the automatic style.
    public static let nmOptions: Int32 = Int32(SYMSCAN_DMGL_PARAMS | SYMSCAN_DMGL_ANSI | SYMSCAN_DMGL_AUTO)

    public init() {}

    /// True when `name` could be a mangled C++ or Rust name (`_Z…`, `_R…`, `_GLOBAL_…`, with
    /// any leading dots, which are kept in front of the result).
    public static func mayBeMangled(_ name: NameView) -> Bool {
        var v = name
        while v.first == UInt8(ascii: ".") { v = v.dropFirst() }
        return v.hasPrefix("_Z") || v.hasPrefix("_R") || v.hasPrefix("_GLOBAL_")
    }

    /// Calls `body` with the demangled form of `name` (valid only during the call, and only
    /// until this demangler is used again) and returns its result; returns nil, without
    /// calling `body`, when `name` is not a mangled name.
    ///
    /// With `remembering`, the result is kept (in `DemangledNames`) and found again the next
    /// time the same name is asked for: for names that recur, such as the undefined
    /// references of an archive's members.
    public mutating func withDemangled<R>(_ name: NameView, remembering: Bool = false,
                                          _ body: (NameView) throws -> R) rethrows -> R? {
        guard Demangler.mayBeMangled(name) else { return nil }
        guard remembering else {
            guard let text = scratch.demangle(name) else { return nil }
            return try body(text)
        }
        let hash = DemangledNames.hash(name)
        if let known = scratch.remembered.lookup(name, hash: hash) {
            guard let text = known else { return nil }
            return try body(text)
        }
        let text = scratch.demangle(name)
        scratch.remembered.remember(name, hash: hash, text: text)
        guard let text else { return nil }
        return try body(text)
    }

    /// The demangled name as a `String`, or nil when `name` is not mangled (allocates; for
    /// tests and callers that keep the text, not the listing hot paths).
    public mutating func demangled(_ name: NameView) -> String? {
        withDemangled(name) { $0.string }
    }
}

/// The two growable buffers of a `Demangler`, in `malloc`ed memory so that the C callback can
/// append to the output without Swift's exclusivity bookkeeping.
private final class Scratch {
    /// The name part handed to the C demangler, NUL-terminated.
    @exclusivity(unchecked) var input = GrowableBytes()
    /// The prefix, the demangled text and the suffix, in that order.
    @exclusivity(unchecked) var output = GrowableBytes()
    /// Names demangled with `remembering`, made at the first one.
    lazy var remembered = DemangledNames()

    deinit {
        input.release()
        output.release()
    }

    func demangle(_ name: NameView) -> NameView? {
        guard let start = name.start else { return nil }
        var dots = 0
        while dots < name.count && (start.load(fromByteOffset: dots, as: UInt8.self) == UInt8(ascii: ".")
                                    || start.load(fromByteOffset: dots, as: UInt8.self) == UInt8(ascii: "$")) {
            dots += 1
        }
        let rest = start + dots
        let restCount = name.count - dots
        let at = memchr(rest, Int32(UInt8(ascii: "@")), restCount).map { UnsafeRawPointer($0) - rest } ?? restCount
        input.count = 0
        input.append(rest, at)
        input.append(byte: 0)
        output.count = 0
        output.append(start, dots)
        let core = UnsafeRawPointer(input.base!).assumingMemoryBound(to: CChar.self)
        let ok = withUnsafeMutablePointer(to: &output) { out -> Bool in
            let opaque = UnsafeMutableRawPointer(out)
            if Scratch.mayBeRust(core, at), rust_demangle_callback(core, Demangler.nmOptions, appendCallback, opaque) != 0 { return true }
            // A failed attempt may have emitted part of its text: drop it.
            out.pointee.count = dots
            return cplus_demangle_v3_callback(core, Demangler.nmOptions, appendCallback, opaque) != 0
                && out.pointee.count > dots
        }
        guard ok else { return nil }
        output.append(rest + at, restCount - at)
        return NameView(start: UnsafeRawPointer(output.base), count: output.count)
    }
}

extension Scratch {
    /// False when libiberty's `rust_demangle_callback` would certainly refuse `name` (`count`
    /// bytes): it takes `_R…` (v0) names, and `_ZN…` (legacy) names whose last path segment is
    /// the hash `17h` + 16 hex digits. Without this, every C++ name was first scanned byte by
    /// byte as a candidate Rust name: 6% of demangling libLLVMCodeGen.a.
    static func mayBeRust(_ name: UnsafePointer<CChar>, _ count: Int) -> Bool {
        guard count >= 3, name[0] == 0x5F else { return false }                  // "_"
        if name[1] == 0x52 { return true }                                        // "_R"
        guard name[1] == 0x5A, name[2] == 0x4E else { return false }              // "_ZN"
        let end = UnsafeRawPointer(name) + count
        var p = UnsafeRawPointer(name) + 3
        while p < end, let hit = memchr(p, 0x31, end - p) {                      // "1"
            let q = UnsafeRawPointer(hit)
            if end - q >= 3 && q.load(fromByteOffset: 1, as: UInt8.self) == 0x37  // "7"
                && q.load(fromByteOffset: 2, as: UInt8.self) == 0x68 {            // "h"
                return true
            }
            p = q + 1
        }
        return false
    }
}

/// Appends one piece of demangled text to the `GrowableBytes` that `opaque` points at.
private let appendCallback: symscan_demangle_callbackref = { text, length, opaque in
    guard let text, let opaque else { return }
    opaque.assumingMemoryBound(to: GrowableBytes.self).pointee.append(UnsafeRawPointer(text), Int(length))
}

/// A byte buffer in `malloc`ed memory that grows by doubling; released explicitly.
private struct GrowableBytes {
    var base: UnsafeMutablePointer<UInt8>?
    var count = 0
    var capacity = 0

    mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        let newCapacity = max(n, capacity * 2, 256)
        guard let p = realloc(base, newCapacity) else { fatalError("out of memory") }
        base = p.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    mutating func append(_ p: UnsafeRawPointer, _ n: Int) {
        guard n > 0 else { return }
        reserve(count + n)
        memcpy(base! + count, p, n)
        count += n
    }

    mutating func append(byte: UInt8) {
        reserve(count + 1)
        base![count] = byte
        count += 1
    }

    func release() { free(base) }
}
