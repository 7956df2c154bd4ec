import MappedFile

/// `@file` arguments replaced by the file's words (quoted like a shell, `\` escapes), as GCC and
/// ld expand them, but each file at most once: a file that names itself three times would
/// otherwise expand exponentially, and a loop `a → b → a` forever. A cycle is reported naming
/// it, a file named twice or nested past `maxDepth` is reported, and a file over the text bound
/// (`TextFile.limit`) too; a file that cannot be opened stays a literal argument, as for GCC.
struct ResponseFiles {
    static let maxDepth = 16
    let read: (String) -> Result<String, TextFileError>
    var unreadable: [String] = []
    var errors: [String] = []
    /// Canonical paths of the files expanded so far.
    private var expanded = Set<String>()
    /// The files being expanded, outermost first: (canonical path, as written).
    private var stack: [(key: String, shown: String)] = []
    private var reported = Set<String>()

    init(read: @escaping (String) -> Result<String, TextFileError>) {
        self.read = read
    }

    mutating func expand(_ words: [String], into out: inout [String]) {
        for w in words {
            guard w.hasPrefix("@"), w.utf8.count > 1 else {
                out.append(w)
                continue
            }
            let path = String(w.dropFirst())
            let key = FileSystem.canonical(path)
            if let i = stack.firstIndex(where: { $0.key == key }) {
                report("response file cycle: " + (stack[i...].map { "@" + $0.shown } + ["@" + path]).joined(separator: " → "))
                continue
            }
            if expanded.contains(key) {
                report("@\(path): named more than once (each response file is expanded once)")
                continue
            }
            if stack.count >= Self.maxDepth {
                report("@\(path): response files nested more than \(Self.maxDepth) deep")
                continue
            }
            switch read(path) {
            case .failure(let e) where e.cannotOpen:
                unreadable.append(path)
                out.append(w)
            case .failure(let e):
                report(e.description)
            case .success(let text):
                expanded.insert(key)
                stack.append((key, path))
                expand(CommandLineText.split(text), into: &out)
                stack.removeLast()
            }
        }
    }

    private mutating func report(_ message: String) {
        if reported.insert(message).inserted { errors.append(message) }
    }
}
