/// One line of nm-style output: `VALUE LETTER NAME`, value blank for undefined symbols.
public struct NMLine: Hashable, Comparable {
    public var letter: Character
    public var name: String

    public var isUndefined: Bool { letter == "U" || letter == "w" || letter == "v" }

    public static func < (a: NMLine, b: NMLine) -> Bool { (a.name, String(a.letter)) < (b.name, String(b.letter)) }
}

/// Parses nm / llvm-nm BSD-format output. Headings (`\nfile(member):`), blank lines and
/// "no symbols" lines are skipped; `member` groups lines by heading ("" before any heading).
public func parseNM(_ text: String) -> [(member: String, line: NMLine)] {
    var out: [(String, NMLine)] = []
    var current = ""
    for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let line = String(raw)
        if line.hasSuffix(":") && !line.hasPrefix(" ") && !line.contains(" ") {
            current = String(line.dropLast())
            continue
        }
        if line.hasSuffix(": no symbols") { continue }
        // Value column (or blanks), a space, the letter, a space, the name (may be empty).
        let trimmed = line.drop(while: { $0 == " " })
        var fields = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        if fields.count >= 1, fields[0].count == 1, line.hasPrefix(" ") {
            fields.insert("", at: 0)  // undefined: no value
        }
        guard fields.count >= 2, fields[1].count == 1 else { continue }
        let name = fields.count >= 3 ? String(fields[2]) : ""
        out.append((current, NMLine(letter: fields[1].first!, name: name)))
    }
    return out
}
