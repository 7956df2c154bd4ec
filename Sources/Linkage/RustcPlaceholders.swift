import Synchronization

/// The shortened paths newer rustc prints in its `note:` block for a failed link: `<sysroot>`
/// for its own sysroot, with `{libstd-*,libcore-*}` brace lists of globs for the standard
/// library rlibs, and `"<N object files omitted>"` for its temporaries.
enum RustcPlaceholders {
    /// `N` of `<N object files omitted>`, or nil when `word` is not that placeholder.
    static func omittedObjects(_ word: String) -> Int? {
        guard word.hasPrefix("<"), word.hasSuffix(">") else { return nil }
        let parts = word.dropFirst().dropLast().split(separator: " ")
        guard parts.count == 4, let n = Int(parts[0]), parts[1] == "object", parts[2].hasPrefix("file"), parts[3] == "omitted" else { return nil }
        return n
    }

    /// The files `path` stands for: `<sysroot>` replaced by `sysroot` and brace lists and globs
    /// expanded; nil when there is no `<sysroot>` in it. Empty when nothing matches.
    static func expand(_ path: String, sysroot: String) -> [String]? {
        guard path.hasPrefix("<sysroot>") else { return nil }
        let concrete = sysroot + path.dropFirst("<sysroot>".count)
        return braces(concrete).flatMap { $0.contains("*") || $0.contains("?") ? FileSystem.glob($0) : [$0] }
    }

    /// `a{b,c}d` → `abd`, `acd` (one level, as rustc prints them).
    static func braces(_ s: String) -> [String] {
        guard let open = s.firstIndex(of: "{"), let close = s[open...].firstIndex(of: "}") else { return [s] }
        let head = s[..<open], tail = s[s.index(after: close)...]
        return s[s.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false).flatMap {
            braces(String(head + $0 + tail))
        }
    }

    private static let cached = Mutex<String??>(nil)

    /// `rustc --print sysroot`, asked once per run; nil when rustc is not on PATH.
    static func sysroot() -> String? {
        if let hit = cached.withLock({ $0 }) { return hit }
        let answer = ProcessRunner.run(["rustc", "--print", "sysroot"]).flatMap { out -> String? in
            let line = out.stdout.split(separator: "\n").first.map(String.init) ?? ""
            return out.status == 0 && line.hasPrefix("/") ? line : nil
        }
        cached.withLock { $0 = .some(answer) }
        return answer
    }
}
