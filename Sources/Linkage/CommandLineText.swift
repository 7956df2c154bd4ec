/// Turns pasted text into a linker command's arguments and the linker's own error lines.
///
/// Accepts a plain shell-quoted line (`cc -shared -o x.so a.o -lfoo`, with `\` line
/// continuations), rustc's `note: "cc" "-m64" …` block (environment assignments before the
/// program are dropped), and `@response` files, expanded recursively as GCC and ld do.
public struct CommandLineText: Sendable {
    /// The command's arguments, `arguments[0]` being the program (`cc`, `ld`, …).
    public var arguments: [String]
    /// Symbols named by linker error lines in the text: IBM `ld: 0711-317 ERROR: Undefined
    /// symbol: .X`, GNU `undefined reference to 'X'`, LLVM `undefined symbol: X`.
    public var undefinedInErrors: [String]
    /// Response files that could not be read.
    public var unreadableResponseFiles: [String]
    /// Whether the linker's messages in the text are an AIX linker's: IBM ld's message ids
    /// (`ld: 0711-317 ERROR: …`, `0706-…`) or a GNU ld built for AIX (`powerpc-ibm-aix7.2-ld: …`,
    /// XCOFF `.pr` csects in its locations). Errors pasted without their command line still
    /// say which rules the link was made under.
    public var errorsSayAIX: Bool
    /// The text is rustc's report of a failed link (`error: linking with `cc` failed`, the
    /// command in a `note:` line): the fix also goes to RUSTFLAGS or a build script.
    public var fromRustc: Bool

    /// Programs that start a link command line.
    static let linkers: Set<String> = [
        "cc", "c++", "gcc", "g++", "clang", "clang++", "ld", "ld.bfd", "ld.gold", "ld.lld", "lld", "xlc", "xlc_r",
        "xlC", "xlC_r", "ibm-clang", "ibm-clang_r", "ibm-clang++_r", "ibm-clang++", "gcc-ar", "collect2", "mold", "rust-lld",
    ]

    /// `readFile` reads response files (tests pass their own); the file system by default.
    public init(parsing text: String, readFile: ((String) -> String?)? = nil) {
        let readFile = readFile ?? { FileSystem.readText($0) }
        var errors: [String] = []
        var command: [String]? = nil
        // Join backslash-continued lines first.
        let joined = text.replacingOccurrences(of: "\\\r\n", with: " ").replacingOccurrences(of: "\\\n", with: " ")
        var aix = false
        var rustc = false
        for raw in joined.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if !aix && Self.isAIXLinkerMessage(line) { aix = true }
            if !rustc && line.range(of: "error: linking with `") != nil { rustc = true }
            if let symbol = Self.undefinedSymbol(in: line) {
                if !errors.contains(symbol) { errors.append(symbol) }
                continue
            }
            guard command == nil else { continue }
            var candidate = line
            if let r = line.range(of: "note: ") { candidate = String(line[r.upperBound...]) }
            var words = Self.split(candidate)
            // rustc prints `LC_ALL="C" PATH="…" VSLANG="1033" "cc" …`: drop the assignments.
            while let w = words.first, w.contains("="), !w.hasPrefix("-"), Self.isAssignment(w) { words.removeFirst() }
            // A prompt such as `$ ` before the command.
            if words.first == "$" { words.removeFirst() }
            guard let program = words.first else { continue }
            let base = FileSystem.baseName(program)
            if Self.linkers.contains(base) || base.hasSuffix("-gcc") || base.hasSuffix("-ld") || base.hasSuffix("-clang")
                || base.hasSuffix("-cc") || base.hasSuffix("-g++") {
                command = words
                if candidate.count != line.count { rustc = true }  // rustc's `note: "cc" …`
            }
        }
        var unreadable: [String] = []
        arguments = Self.expandResponseFiles(command ?? [], readFile: readFile, unreadable: &unreadable, depth: 0)
        undefinedInErrors = errors
        unreadableResponseFiles = unreadable
        errorsSayAIX = aix
        fromRustc = rustc
    }

    /// `ld: 0711-317 ERROR: Undefined symbol: .PyErr_Print` (IBM ld; 0706- for option errors),
    /// or `…/powerpc-ibm-aix7.2-ld: obj/x.o:x.c:(.pr+0x1c): undefined reference to …` (GNU ld
    /// for an AIX target; `.pr` is XCOFF's program-code csect class).
    public static func isAIXLinkerMessage(_ line: String) -> Bool {
        if let r = line.range(of: "ld: 07") {
            let id = line[r.upperBound...].prefix(7)   // "11-317 " of "0711-317 "
            if id.count == 7, id.hasPrefix("11-") || id.hasPrefix("06-"),
               id.dropFirst(3).prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }) {
                return true
            }
        }
        if let colon = line.range(of: ": ") {
            let tool = FileSystem.baseName(String(line[..<colon.lowerBound]))
            if tool.contains("-aix") && tool.hasSuffix("ld") { return true }
        }
        return line.range(of: ":(.pr+0x") != nil
    }

    static func isAssignment(_ w: String) -> Bool {
        guard let eq = w.firstIndex(of: "=") else { return false }
        let name = w[..<eq]
        return !name.isEmpty && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }

    /// `@file` arguments are replaced by the file's words (quoted like a shell, `\` escapes).
    static func expandResponseFiles(_ words: [String], readFile: (String) -> String?, unreadable: inout [String], depth: Int) -> [String] {
        var out: [String] = []
        for w in words {
            guard w.hasPrefix("@"), w.count > 1, depth < 16 else {
                out.append(w)
                continue
            }
            let path = String(w.dropFirst())
            guard let text = readFile(path) else {
                unreadable.append(path)
                out.append(w)
                continue
            }
            out += expandResponseFiles(split(text), readFile: readFile, unreadable: &unreadable, depth: depth + 1)
        }
        return out
    }

    /// Splits like a POSIX shell: blanks separate words; '…' is literal; "…" allows `\"`, `\\`;
    /// a backslash outside quotes escapes the next character.
    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escape = false
        for c in text {
            if escape {
                current.append(c)
                escape = false
                continue
            }
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" {
                    escape = true
                } else {
                    current.append(c)
                }
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                escape = true
                inWord = true
            default:
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The symbol an undefined-symbol error line names, if the line is one.
    static func undefinedSymbol(in line: String) -> String? {
        if let r = line.range(of: "ERROR: Undefined symbol: ") {
            let name = line[r.upperBound...].trimmingSpaces
            return name.isEmpty ? nil : name
        }
        if let r = line.range(of: "undefined reference to ") {
            var rest = line[r.upperBound...].trimmingSpaces
            if let first = rest.first, first == "`" || first == "'" || first == "\u{2018}" { rest.removeFirst() }
            if let last = rest.last, last == "'" || last == "\u{2019}" { rest.removeLast() }
            return rest.isEmpty ? nil : rest
        }
        if let r = line.range(of: "undefined symbol: ") {
            // ld.lld: `ld.lld: error: undefined symbol: X`; skip ldd's "(file)" tail.
            let rest = line[r.upperBound...].trimmingSpaces
            let name = rest.split(separator: "\t").first.map(String.init) ?? rest
            return name.isEmpty ? nil : name.trimmingSpaces
        }
        return nil
    }
}
