import Reports

/// `symbols` is the command run most: on one small file, where start-up is most of the cost,
/// and on hundreds of files at once, where ArgumentParser's parse takes milliseconds. The
/// arguments of an ordinary call are parsed here instead.
///
/// Only what is certainly valid is taken: anything else (help, `--version`, an unknown option,
/// a bad value, a usage error such as no FILE) gives nil, and the caller hands the arguments
/// to ArgumentParser, so that every message is ArgumentParser's.
extension SymbolsRequest {
    public init?(parsing args: [String]) {
        self.init(files: [])
        var i = 0
        var onlyFiles = false
        func value(_ inline: Substring?) -> String? {
            if let inline { return String(inline) }
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            let a = args[i]
            defer { i += 1 }
            if onlyFiles || !a.hasPrefix("-") || a == "-" {
                files.append(a)
                continue
            }
            if a == "--" { onlyFiles = true; continue }
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                let eq = body.firstIndex(of: "=")
                let name = eq.map { body[..<$0] } ?? body
                let inline = eq.map { body[body.index(after: $0)...] }
                switch name {
                case "undefined-only" where inline == nil: filter.undefinedOnly = true
                case "defined-only" where inline == nil: filter.definedOnly = true
                case "extern-only" where inline == nil: filter.externOnly = true
                case "dynamic" where inline == nil: dynamic = true
                case "no-demangle" where inline == nil: demangle = false
                case "format":
                    guard let v = value(inline), let f = OutputFormat(rawValue: v) else { return nil }
                    format = f
                case "jobs":
                    guard let v = value(inline), let n = Int(v), n >= 1 else { return nil }
                    jobs = n
                default: return nil
                }
                continue
            }
            // Short flags, alone or together (`-uD`); `-j N` only on its own.
            if a == "-j" {
                guard let v = value(nil), let n = Int(v), n >= 1 else { return nil }
                jobs = n
                continue
            }
            for c in a.dropFirst() {
                switch c {
                case "u": filter.undefinedOnly = true
                case "g": filter.externOnly = true
                case "D": dynamic = true
                default: return nil
                }
            }
        }
        if files.isEmpty || (filter.undefinedOnly && filter.definedOnly) { return nil }
    }
}
