/// The two pieces of a slash-separated path every module names files by, without Foundation.
public enum PathName {
    /// `/usr/lib/libz.so` → `/usr/lib`; `libz.so` → `.`; `/x` → `/`.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `/usr/lib/libz.so` → `libz.so`.
    public static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
