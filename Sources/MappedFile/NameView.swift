#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A symbol or section name as bytes inside a mapping: no copy is made until `string` is asked for.
///
/// A view is only valid while the `MappedFile` it came from is alive; images keep their file
/// alive, so views taken from an image's symbols are valid as long as the image is.
/// Equality and hashing are over the bytes, so sets of names need no `String`s.
public struct NameView: Hashable, @unchecked Sendable, Comparable, CustomStringConvertible {
    public let start: UnsafeRawPointer?
    public let count: Int

    public init(start: UnsafeRawPointer?, count: Int) {
        self.start = start
        self.count = count
    }

    public static let empty = NameView(start: nil, count: 0)

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

    public var isEmpty: Bool { count == 0 }

    /// The name decoded as UTF-8 (invalid bytes become U+FFFD); allocates.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { string }

    public var first: UInt8? { count > 0 ? bytes[0] : nil }

    /// The view without its first `n` bytes (e.g. the `.` of an XCOFF entry point).
    public func dropFirst(_ n: Int = 1) -> NameView {
        let k = Swift.min(n, count)
        return NameView(start: start.map { $0 + k }, count: count - k)
    }

    /// True when the bytes are exactly `s`'s (no `String` made).
    public func equals(_ s: StaticString) -> Bool {
        count == s.utf8CodeUnitCount && hasPrefix(s)
    }

    public func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard n <= count, let start else { return n == 0 }
        return memcmp(start, prefix.utf8Start, n) == 0
    }

    public static func == (a: NameView, b: NameView) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 || a.start == b.start { return true }
        return memcmp(a.start!, b.start!, a.count) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes: bytes)
    }

    public static func < (a: NameView, b: NameView) -> Bool {
        let n = Swift.min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.start!, b.start!, n)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }
}
