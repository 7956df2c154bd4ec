/// The directories this machine's linker searches for `-l` with no `-L` at all: a `-L` for one
/// of them changes nothing, so a suggestion leaves it out. Asked once per process.
///
/// GNU ld searches the `SEARCH_DIR`s of its built-in script (`ld --verbose`); through a compiler
/// driver (`cc`, `gcc`, `clang`) it also searches the driver's own directories
/// (`cc -print-search-dirs`, `libraries: =…`), where `libstdc++.so`, `libgomp.so` and
/// `libatomic.so` live on Debian.
enum LinkerDirectories {
    /// `ld` run directly.
    static let linker: [String] = existing(askLinker())
    /// `cc` (or another driver): its directories first, then ld's.
    static let driver: [String] = existing(askDriver() + askLinker())

    /// `SEARCH_DIR("=/usr/lib/x86_64-linux-gnu"); …`; `=` stands for the sysroot, `/` here.
    static func searchDirs(inLinkerScript text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "SEARCH_DIR(\"") {
            let tail = rest[r.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            var dir = String(tail[..<end])
            if dir.hasPrefix("=") { dir.removeFirst() }
            if !dir.isEmpty { out.append(dir) }
            rest = tail[end...]
        }
        return out
    }

    /// The `libraries: =dir:dir…` line of `cc -print-search-dirs`.
    static func libraryDirs(inSearchDirs text: String) -> [String] {
        for line in text.split(separator: "\n") where line.hasPrefix("libraries: ") {
            var list = line.dropFirst("libraries: ".count)
            if list.first == "=" { list = list.dropFirst() }
            return list.split(separator: ":").map(String.init)
        }
        return []
    }

    private static func askLinker() -> [String] {
        ProcessRunner.run(["ld", "--verbose"]).map { searchDirs(inLinkerScript: $0.stdout) } ?? []
    }

    private static func askDriver() -> [String] {
        ProcessRunner.run(["cc", "-print-search-dirs"]).map { libraryDirs(inSearchDirs: $0.stdout) } ?? []
    }

    /// Canonical paths of the directories that exist, each once, in order.
    private static func existing(_ dirs: [String]) -> [String] {
        var out: [String] = []
        for d in dirs where FileSystem.isDirectory(d) {
            let c = FileSystem.canonical(d)
            if !out.contains(c) { out.append(c) }
        }
        return out
    }
}
