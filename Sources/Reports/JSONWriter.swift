import MappedFile

/// Minimal streaming JSON writer over `OutputBuffer`: strings are escaped per RFC 8259, bytes
/// that are not valid UTF-8 become U+FFFD (JSON must be Unicode; symbol names usually are).
public struct JSONWriter {
    public let out: OutputBuffer
    private var needsComma: [Bool] = [false]

    public init(_ out: OutputBuffer) { self.out = out }

    /// A writer that continues an object or array whose opening (and, with
    /// `continuingAfterAMember`, a first member) someone else wrote: the next member it writes
    /// is preceded by a comma. For documents assembled from pieces rendered in parallel.
    public init(_ out: OutputBuffer, continuingAfterAMember: Bool) {
        self.out = out
        self.needsComma = [continuingAfterAMember]
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { out.write(byte: UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject() { separator(); out.write(byte: UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); out.write(byte: UInt8(ascii: "}")) }
    public mutating func beginArray() { separator(); out.write(byte: UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); out.write(byte: UInt8(ascii: "]")) }

    /// Writes `"key":` ; the value call that follows must not add a comma.
    public mutating func key(_ k: StaticString) {
        separator()
        out.write(byte: UInt8(ascii: "\""))
        out.write(k)
        out.write("\":" as StaticString)
        needsComma[needsComma.count - 1] = false
    }

    public mutating func value(_ s: String) {
        separator()
        var s = s
        s.withUTF8 { escape(UnsafeRawBufferPointer($0)) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func value(_ v: NameView) { separator(); escape(v.bytes) }
    public mutating func value(_ s: StaticString) {
        separator(); escape(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    public mutating func value(_ b: Bool) { separator(); out.write(b ? "true" as StaticString : "false") }
    public mutating func value<T: BinaryInteger>(_ n: T) { separator(); out.writeDecimal(n) }
    public mutating func null() { separator(); out.write("null" as StaticString) }

    public mutating func field(_ k: StaticString, _ s: String) { key(k); value(s) }
    public mutating func field(_ k: StaticString, _ s: StaticString) { key(k); value(s) }
    public mutating func field(_ k: StaticString, _ v: NameView) { key(k); value(v) }
    public mutating func field(_ k: StaticString, _ b: Bool) { key(k); value(b) }
    public mutating func field<T: BinaryInteger>(_ k: StaticString, _ n: T) { key(k); value(n) }

    private func escape(_ bytes: UnsafeRawBufferPointer) {
        out.write(byte: UInt8(ascii: "\""))
        // Fast path: plain ASCII without quotes, backslashes or control characters.
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out.write(NameView(start: bytes.baseAddress, count: bytes.count))
        } else {
            let s = String(decoding: bytes, as: UTF8.self)
            for u in s.unicodeScalars {
                switch u {
                case "\"": out.write("\\\"" as StaticString)
                case "\\": out.write("\\\\" as StaticString)
                case "\n": out.write("\\n" as StaticString)
                case "\r": out.write("\\r" as StaticString)
                case "\t": out.write("\\t" as StaticString)
                case _ where u.value < 0x20:
                    out.write("\\u00" as StaticString)
                    out.writeHex(UInt64(u.value), width: 2)
                default:
                    out.write(String(u))
                }
            }
        }
        out.write(byte: UInt8(ascii: "\""))
    }
}

extension JSONWriter {
    /// `"key":[{…},{…}]`: one object per element, its fields written by `fields`.
    public mutating func objects<C: Sequence>(_ k: StaticString, _ items: C, _ fields: (inout JSONWriter, C.Element) -> Void) {
        key(k)
        beginArray()
        for item in items {
            beginObject()
            fields(&self, item)
            endObject()
        }
        endArray()
    }

    /// `"key":["…","…"]`.
    public mutating func strings(_ k: StaticString, _ values: [String]) {
        key(k)
        beginArray()
        for v in values { value(v) }
        endArray()
    }

    /// `"errors":[{"path":…,"message":…}]`: the inputs that could not be used, in every report.
    public mutating func errors(_ errors: [(path: String, message: String)]) {
        objects("errors", errors) { j, e in
            j.field("path", e.path)
            j.field("message", e.message)
        }
    }
}

extension JSONWriter {
    /// `s` as a JSON string literal, quotes included, escaped exactly as the writer escapes:
    /// for JSON that is laid out by hand (the baseline file, one finding per line).
    public static func quoted(_ s: String) -> String {
        let out = OutputBuffer(collecting: s.utf8.count + 2)
        var j = JSONWriter(out)
        j.value(s)
        return String(decoding: out.collected, as: UTF8.self)
    }
}
