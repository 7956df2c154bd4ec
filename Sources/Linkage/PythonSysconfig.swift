#if canImport(Glibc)
import Glibc
#endif

/// The sysconfig variables symscan reads, and the two ways it gets them: from an interpreter
/// that can run here (asked once, then cached on disk), or from a target's
/// `_sysconfigdata_*.py` file (a cross build: `--python-sysconfig`, `PYO3_CROSS_LIB_DIR`).
enum PythonSysconfig {
    static let keys = ["LIBDIR", "LDLIBRARY", "LDVERSION", "VERSION", "LIBS", "SYSLIBS", "LIBPL", "Py_ENABLE_SHARED",
                       "ABIFLAGS", "Py_DEBUG", "Py_GIL_DISABLED", "EXT_SUFFIX", "SOABI", "MULTIARCH"]

    /// Runs `python -S` once for its variables and `sys.executable` (as `EXECUTABLE`).
    static func ask(_ python: String) -> [String: String]? {
        let script = """
            import sys, sysconfig
            for k in \(keys.map { "\"\($0)\"" }.joined(separator: ", ")),:
                v = sysconfig.get_config_var(k)
                print(k + "=" + ("" if v is None else str(v).replace("\\n", " ")))
            print("EXECUTABLE=" + (sys.executable or ""))
            """
        // -S: no `site` import, which sysconfig does not need and which is most of a Python
        // start (100 → 66 ms through a pyenv shim, 12 ms for the interpreter itself).
        guard let out = ProcessRunner.run([python, "-S", "-c", script]), out.status == 0 else { return nil }
        return parseLines(out.stdout)
    }

    static func parseLines(_ text: String) -> [String: String] {
        var vars: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            vars[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return vars
    }

    struct FileError: Error, CustomStringConvertible {
        var path: String
        var offset: Int
        var what: String
        var description: String { "\(path): \(what) (at byte offset \(offset))" }
    }

    /// The `build_time_vars = {…}` dictionary of a `_sysconfigdata_*.py`, without running it:
    /// `'KEY': value` pairs whose value is a string (adjacent literals joined, as Python does)
    /// or a number. Only the keys symscan reads are kept.
    static func readFile(_ path: String) throws(FileError) -> [String: String] {
        guard let text = FileSystem.readText(path) else { throw FileError(path: path, offset: 0, what: "cannot be read") }
        let b = Array(text.utf8)
        guard let start = find(Array("build_time_vars".utf8), in: b) else {
            throw FileError(path: path, offset: 0, what: "has no build_time_vars dictionary")
        }
        var i = start
        while i < b.count && b[i] != UInt8(ascii: "{") { i += 1 }
        guard i < b.count else { throw FileError(path: path, offset: start, what: "build_time_vars is not a dictionary") }
        i += 1
        var vars: [String: String] = [:]
        let wanted = Set(keys)
        func skipSpace() { while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 || b[i] == UInt8(ascii: ",") { i += 1 } }
        func literal() throws(FileError) -> String {
            var out: [UInt8] = []
            while i < b.count, b[i] == UInt8(ascii: "'") || b[i] == UInt8(ascii: "\"") {
                let quote = b[i], at = i
                i += 1
                while true {
                    guard i < b.count else { throw FileError(path: path, offset: at, what: "string literal is not closed") }
                    let c = b[i]
                    if c == quote { i += 1; break }
                    if c == UInt8(ascii: "\\"), i + 1 < b.count {
                        let e = b[i + 1]
                        out.append(e == UInt8(ascii: "n") ? 10 : e == UInt8(ascii: "t") ? 9 : e)
                        i += 2
                        continue
                    }
                    out.append(c)
                    i += 1
                }
                while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
            }
            return String(decoding: out, as: UTF8.self)
        }
        while true {
            skipSpace()
            guard i < b.count else { throw FileError(path: path, offset: i, what: "build_time_vars is not closed") }
            if b[i] == UInt8(ascii: "}") { break }
            let keyAt = i
            let key = try literal()
            guard !key.isEmpty || i > keyAt else { throw FileError(path: path, offset: keyAt, what: "expected a quoted key") }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw FileError(path: path, offset: i, what: "expected ':' after '\(key)'") }
            i += 1
            skipSpace()
            var value: String
            if i < b.count, b[i] == UInt8(ascii: "'") || b[i] == UInt8(ascii: "\"") {
                value = try literal()
            } else {
                let at = i
                while i < b.count, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != 10 { i += 1 }
                value = String(decoding: b[at..<i], as: UTF8.self).trimmingSpaces
                guard !value.isEmpty else { throw FileError(path: path, offset: at, what: "no value for '\(key)'") }
            }
            if wanted.contains(key) { vars[key] = value }
        }
        return vars
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }

    /// `_sysconfigdata_*.py` in `dir` (PyO3's `PYO3_CROSS_LIB_DIR` search looks there and in
    /// `lib/pythonX.Y` below it); nil when there is none.
    static func fileIn(_ dir: String) -> String? {
        for d in [dir] + FileSystem.list(dir, prefix: "python").map({ "\(dir)/\($0)" }) {
            if let f = FileSystem.list(d, prefix: "_sysconfigdata_").sorted().first(where: { $0.hasSuffix(".py") }) {
                return "\(d)/\(f)"
            }
        }
        return nil
    }
}

/// The disk side of the interpreter cache: what an interpreter said, kept under the provider
/// cache directory and keyed like the provider index (the executable's path, size and
/// modification time), so Python is not started on each run. A `python3` that is a script (a
/// pyenv shim chooses the interpreter from the environment each time) is never cached on disk.
enum InterpreterDiskCache {
    static func entryPath(_ executable: String, cacheRoot: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for c in executable.utf8 { h = (h ^ UInt64(c)) &* 0x100000001b3 }
        let hex = String(h, radix: 16)
        return "\(cacheRoot)/interpreter-v1-\(String(repeating: "0", count: 16 - hex.count) + hex).txt"
    }

    /// `path size mtime` of an ELF executable; nil for scripts and missing files.
    static func key(_ executable: String) -> String? {
        var st = stat()
        guard stat(executable, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let f = fopen(executable, "rb") else { return nil }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = fread(&magic, 1, 4, f)
        fclose(f)
        guard n == 4, magic == [0x7f, 0x45, 0x4c, 0x46] else { return nil }
        return "\(executable) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The executable `python` names: itself when it has a `/`, else the first on PATH.
    static func resolve(_ python: String) -> String? {
        if python.contains("/") { return python }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/\(python)", X_OK) == 0 { return "\(dir)/\(python)" }
        return nil
    }

    static func read(_ python: String, cacheRoot: String?) -> [String: String]? {
        guard let cacheRoot, let exe = resolve(python), let key = key(exe),
              let text = FileSystem.readText(entryPath(exe, cacheRoot: cacheRoot)) else { return nil }
        let lines = text.split(separator: "\n", maxSplits: 1)
        guard lines.count == 2, lines[0] == "key=" + key else { return nil }
        return PythonSysconfig.parseLines(String(lines[1]))
    }

    static func write(_ python: String, _ vars: [String: String], cacheRoot: String?) {
        guard let cacheRoot, let exe = resolve(python), let key = key(exe) else { return }
        mkdir(cacheRoot, 0o755)
        let path = entryPath(exe, cacheRoot: cacheRoot), temp = path + ".\(getpid())"
        let body = "key=\(key)\n" + vars.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        guard let f = fopen(temp, "wb") else { return }
        let ok = fputs(body, f) >= 0
        fclose(f)
        // Renamed into place, so a concurrent run reads the old entry or the new one, whole.
        if ok { rename(temp, path) } else { unlink(temp) }
    }
}
