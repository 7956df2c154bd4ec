#if canImport(Glibc)
import Glibc
#endif
import MappedFile

/// The few file-system questions library search asks, answered with POSIX calls.
enum FileSystem {
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Entries of a directory (names only), sorted; empty when it cannot be read. With
    /// `prefix`, only the names whose bytes start with it (no `String` is made of the others).
    static func list(_ dir: String, prefix: String = "") -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        let want = Array(prefix.utf8)
        var names: [String] = []
        while let e = readdir(d) {
            let name = DirectoryEntry.name(e)
            // strncmp stops at the name's NUL, so a name shorter than the prefix is not read past.
            guard want.isEmpty || strncmp(name, prefix, want.count) == 0, !DirectoryEntry.isDotOrDotDot(name) else { continue }
            names.append(String(cString: name))
        }
        return names.sorted()
    }

    /// Paths matching a shell glob (`/etc/ld.so.conf.d/*.conf`), sorted.
    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// A text file, nil when it cannot be read or is over the text bound (`TextFile.limit`).
    static func readText(_ path: String) -> String? {
        try? TextFile.read(path: path)
    }

    static func directory(of path: String) -> String { PathName.directory(of: path) }

    static func baseName(_ path: String) -> String { PathName.baseName(path) }

    /// Resolves `.`/`..` and symlinks where the file exists, for stable paths in reports.
    static func canonical(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }
}
