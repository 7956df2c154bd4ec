import MappedFile

/// The input commands of a GNU ld script given where a library is expected: glibc installs
/// `libc.so` and `libm.so` as `GROUP ( /lib/…/libc.so.6 …/libc_nonshared.a AS_NEEDED ( … ) )`,
/// and `-lc` finds that text, not the shared object. The linker reads such a file as if its
/// `INPUT`/`GROUP` operands had been written on the command line at its place.
///
/// Only what decides the inputs is read (`INPUT`, `GROUP`, `AS_NEEDED`, `SEARCH_DIR`);
/// `OUTPUT_FORMAT`, `OUTPUT_ARCH`, `TARGET` and other commands are skipped with their operands,
/// and a `{ … }` block (a full `SECTIONS` script) is skipped whole.
struct LinkerScript {
    enum Entry: Equatable {
        /// A file name as written (absolute, `=`-relative to the sysroot, or a bare name the
        /// linker looks for in the current directory and then the library search path).
        case file(String, asNeeded: Bool)
        /// `-lNAME` inside `INPUT`/`GROUP`.
        case library(String, asNeeded: Bool)
        case groupStart, groupEnd
    }

    var entries: [Entry] = []
    var searchDirectories: [String] = []

    /// Commands whose presence makes a text file a linker script.
    private static let commands: Set<String> = [
        "INPUT", "GROUP", "AS_NEEDED", "OUTPUT_FORMAT", "OUTPUT_ARCH", "SEARCH_DIR", "TARGET", "OUTPUT",
        "SECTIONS", "MEMORY", "ENTRY", "STARTUP", "INCLUDE", "VERSION", "PHDRS", "EXTERN", "PROVIDE",
    ]

    /// Parses `region`; nil when the text does not start like a linker script (so the file is
    /// something else the linker cannot use). Malformed scripts (an unterminated comment, string
    /// or parenthesis) throw with the offset.
    static func parse(_ region: ByteRegion) throws(ParseError) -> LinkerScript? {
        var lexer = Lexer(region: region)
        guard let first = try lexer.next(), commands.contains(first.text) else { return nil }
        var script = LinkerScript()
        var token: Lexer.Token? = first
        while let t = token {
            switch t.text {
            case "INPUT", "GROUP":
                try lexer.expect("(", after: t)
                if t.text == "GROUP" { script.entries.append(.groupStart) }
                try script.readFiles(&lexer, asNeeded: false, opened: t)
                if t.text == "GROUP" { script.entries.append(.groupEnd) }
            case "SEARCH_DIR":
                try lexer.expect("(", after: t)
                while let d = try lexer.next(), d.text != ")" { script.searchDirectories.append(d.text) }
            case "{":
                try lexer.skipBalanced(open: "{", close: "}", from: t)
            case "(":
                try lexer.skipBalanced(open: "(", close: ")", from: t)
            default:
                break  // a command we do not need; its operands follow in parentheses and are skipped
            }
            token = try lexer.next()
        }
        return script
    }

    private mutating func readFiles(_ lexer: inout Lexer, asNeeded: Bool, opened: Lexer.Token) throws(ParseError) {
        while true {
            guard let t = try lexer.next() else {
                throw lexer.region.error("linker script \(opened.text)", at: opened.offset, "no closing parenthesis")
            }
            switch t.text {
            case ")": return
            case "AS_NEEDED":
                try lexer.expect("(", after: t)
                try readFiles(&lexer, asNeeded: true, opened: t)
            default:
                if t.text.hasPrefix("-l") && t.text.count > 2 {
                    entries.append(.library(String(t.text.dropFirst(2)), asNeeded: asNeeded))
                } else {
                    entries.append(.file(t.text, asNeeded: asNeeded))
                }
            }
        }
    }

    /// Words, quoted strings and single punctuation, with `/* */` comments and commas skipped.
    struct Lexer {
        struct Token { var text: String; var offset: Int }
        let region: ByteRegion
        var offset = 0

        init(region: ByteRegion) { self.region = region }

        mutating func next() throws(ParseError) -> Token? {
            while offset < region.count {
                let b = try region.u8(offset, "linker script")
                if b == UInt8(ascii: "/"), offset + 1 < region.count, try region.u8(offset + 1, "linker script") == UInt8(ascii: "*") {
                    let start = offset
                    offset += 2
                    while true {
                        guard offset + 1 < region.count else { throw region.error("linker script comment", at: start, "no closing */") }
                        if try region.u8(offset, "linker script") == UInt8(ascii: "*"), try region.u8(offset + 1, "linker script") == UInt8(ascii: "/") { break }
                        offset += 1
                    }
                    offset += 2
                    continue
                }
                if b == UInt8(ascii: " ") || b == UInt8(ascii: ",") || (b >= 9 && b <= 13) { offset += 1; continue }
                let start = offset
                if b == UInt8(ascii: "\"") {
                    offset += 1
                    while offset < region.count, try region.u8(offset, "linker script") != UInt8(ascii: "\"") { offset += 1 }
                    guard offset < region.count else { throw region.error("linker script string", at: start, "no closing quote") }
                    offset += 1
                    return Token(text: try region.bytes(start + 1, offset - start - 2, "linker script string").string, offset: start)
                }
                if Self.isPunctuation(b) {
                    offset += 1
                    return Token(text: String(UnicodeScalar(b)), offset: start)
                }
                while offset < region.count {
                    let c = try region.u8(offset, "linker script")
                    if c == UInt8(ascii: " ") || c == UInt8(ascii: ",") || (c >= 9 && c <= 13) || Self.isPunctuation(c) { break }
                    if c == UInt8(ascii: "/"), offset + 1 < region.count, try region.u8(offset + 1, "linker script") == UInt8(ascii: "*") { break }
                    offset += 1
                }
                return Token(text: try region.bytes(start, offset - start, "linker script word").string, offset: start)
            }
            return nil
        }

        static func isPunctuation(_ b: UInt8) -> Bool {
            b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: ";")
        }

        mutating func expect(_ text: String, after t: Token) throws(ParseError) {
            guard let n = try next(), n.text == text else {
                throw region.error("linker script \(t.text)", at: t.offset, "expected \(text) after \(t.text)")
            }
        }

        mutating func skipBalanced(open: String, close: String, from t: Token) throws(ParseError) {
            var depth = 1
            while depth > 0 {
                guard let n = try next() else { throw region.error("linker script", at: t.offset, "no closing \(close)") }
                if n.text == open { depth += 1 } else if n.text == close { depth -= 1 }
            }
        }
    }
}
