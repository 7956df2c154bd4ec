import MappedFile

/// Names, paths and messages that come from input files, escaped for text output (terminals and
/// CI logs): a symbol name with a newline or an escape sequence must not forge a line such as
/// `OK …` or `1 module: 0 failed`, nor recolour or clear the screen.
///
/// C0 controls and DEL are shown as `\n`, `\r`, `\t` or `\xNN`; the C1 controls (U+0080–U+009F,
/// which 8-bit terminals read as CSI and friends) as `\u{9b}`; bytes that are not UTF-8 as `\xNN`.
/// Everything else, backslashes included, is written as is, so ordinary names read as nm prints
/// them. JSON, SARIF and JUnit have escapes of their own; GitHub's format escapes `%`, CR and LF.
public enum TextEscape {
    /// True when `bytes` can be written as they are (the common case, checked first).
    @inline(__always)
    static func isPlain(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b < 0x20 || b >= 0x7F { return false }
        return true
    }

    /// The escaped form of `s` (for messages built before they reach an `OutputBuffer`).
    public static func escaped(_ s: String) -> String {
        var s = s
        let plain = s.withUTF8 { isPlain(UnsafeRawBufferPointer($0)) }
        if plain { return s }
        let out = OutputBuffer(collecting: s.utf8.count + 16)
        out.writeEscaped(s)
        return String(decoding: out.collected, as: UTF8.self)
    }

    /// Writes `bytes` escaped; `bytes` need not be valid UTF-8.
    static func write(_ bytes: UnsafeRawBufferPointer, to out: OutputBuffer) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F {
                out.write(byte: b)
                i += 1
                continue
            }
            if b < 0x80 {
                switch b {
                case 0x0A: out.write("\\n" as StaticString)
                case 0x0D: out.write("\\r" as StaticString)
                case 0x09: out.write("\\t" as StaticString)
                default: hex(b, to: out)
                }
                i += 1
                continue
            }
            let length = sequenceLength(bytes, at: i)
            if length == 0 {
                hex(b, to: out)
                i += 1
            } else if length == 2 && b == 0xC2 && bytes[i + 1] < 0xA0 {
                out.write("\\u{" as StaticString)
                out.writeHex(UInt64(bytes[i + 1]), width: 2)
                out.write(byte: UInt8(ascii: "}"))
                i += 2
            } else {
                for k in i..<(i + length) { out.write(byte: bytes[k]) }
                i += length
            }
        }
    }

    private static func hex(_ b: UInt8, to out: OutputBuffer) {
        out.write("\\x" as StaticString)
        out.writeHex(UInt64(b), width: 2)
    }

    /// The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no
    /// surrogates, nothing past U+10FFFF), or 0.
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int {
        let b = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        let second = bytes[i + 1]
        guard second >= low && second <= high else { return 0 }
        for k in (i + 2)..<(i + length) where bytes[k] & 0xC0 != 0x80 { return 0 }
        return length
    }
}

extension OutputBuffer {
    /// `v` escaped for text output (see `TextEscape`).
    @inline(__always)
    public func writeEscaped(_ v: NameView) {
        if TextEscape.isPlain(v.bytes) {
            write(v)
        } else {
            TextEscape.write(v.bytes, to: self)
        }
    }

    /// `s` escaped for text output (see `TextEscape`).
    public func writeEscaped(_ s: String) {
        var s = s
        s.withUTF8 { p in
            let raw = UnsafeRawBufferPointer(p)
            if TextEscape.isPlain(raw) {
                write(NameView(start: raw.baseAddress, count: raw.count))
            } else {
                TextEscape.write(raw, to: self)
            }
        }
    }
}
