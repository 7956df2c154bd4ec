#if canImport(Glibc)
import Glibc
#endif
import ObjectModel

/// Finds libraries the way the target's linker and loader would.
///
/// - ELF `-lNAME`: `libNAME.so`, then `libNAME.a` (only `.a` with `-static`), in each `-L`
///   directory, then the default directories.
/// - ELF DT_NEEDED: DT_RPATH (when there is no DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH,
///   the ld.so.conf directories, then /lib and /usr/lib (with the multiarch variants);
///   `$ORIGIN` is the directory of the image.
/// - AIX `-lNAME`: `libNAME.a` (and with `-brtl` first `libNAME.so`) in each `-L` directory,
///   then /usr/lib and /lib.
/// - AIX loader import modules: their recorded path, else the loader's library path, LIBPATH.
public struct LibrarySearch: Sendable {
    public enum Family: Sendable { case elf, xcoff }

    public var family: Family
    /// `-L` directories, in order.
    public var userDirectories: [String]
    public var defaultDirectories: [String]
    /// AIX `-brtl`: `-l` also finds `libNAME.so`.
    public var runtimeLinking = false
    /// ELF `-static`: `-l` finds only archives.
    public var staticOnly = false
    /// A target root: absolute run paths are taken inside it, and this machine's
    /// LD_LIBRARY_PATH does not apply.
    public var sysroot: String?

    public init(family: Family, userDirectories: [String], defaultDirectories: [String]? = nil) {
        self.family = family
        self.userDirectories = userDirectories
        self.defaultDirectories = defaultDirectories ?? (family == .elf ? Self.elfDefaultDirectories() : ["/usr/lib", "/lib"])
    }

    public var allDirectories: [String] {
        var seen: [String] = []
        for d in userDirectories + defaultDirectories where !seen.contains(d) { seen.append(d) }
        return seen
    }

    /// The file `-l name` links, or nil. `-l:file` names a file exactly.
    public func find(library name: String) -> String? {
        let candidates: [String]
        if name.hasPrefix(":") {
            candidates = [String(name.dropFirst())]
        } else if family == .elf {
            candidates = staticOnly ? ["lib\(name).a"] : ["lib\(name).so", "lib\(name).a"]
        } else {
            candidates = runtimeLinking ? ["lib\(name).so", "lib\(name).a"] : ["lib\(name).a"]
        }
        for dir in allDirectories {
            for c in candidates where FileSystem.isRegularFile(dir + "/" + c) { return dir + "/" + c }
        }
        return nil
    }

    /// Where the dynamic loader finds DT_NEEDED `soname` for an image at `imagePath`.
    public func findNeeded(_ soname: String, rpath: [String], runpath: [String], imagePath: String,
                           environment: [String: String]) -> String? {
        if soname.contains("/") {
            let path = soname.hasPrefix("/") ? (sysroot ?? "") + soname : soname
            return FileSystem.isRegularFile(path) ? path : nil
        }
        let origin = FileSystem.directory(of: FileSystem.canonical(imagePath))
        func expand(_ dirs: [String]) -> [String] {
            dirs.map {
                let d = $0.replacingOccurrences(of: "$ORIGIN", with: origin).replacingOccurrences(of: "${ORIGIN}", with: origin)
                return d == $0 && $0.hasPrefix("/") ? (sysroot ?? "") + d : d
            }
        }
        var dirs: [String] = []
        if runpath.isEmpty { dirs += expand(rpath) }
        if sysroot == nil { dirs += (environment["LD_LIBRARY_PATH"] ?? "").split(separator: ":").map(String.init) }
        dirs += expand(runpath)
        dirs += defaultDirectories
        for d in dirs where !d.isEmpty && FileSystem.isRegularFile(d + "/" + soname) { return d + "/" + soname }
        return nil
    }

    /// The file of an AIX loader import module (`libc.a(shr_64.o)`), searched through its own
    /// path, the loader's library path and LIBPATH; nil for `.` (the main program) and `..`.
    public func findModule(_ m: ImportModule, libraryPath: String?, environment: [String: String]) -> String? {
        if m.base == "." || m.base == ".." || m.base.isEmpty { return nil }
        var dirs: [String] = []
        if !m.path.isEmpty { dirs.append(m.path) }
        dirs += (libraryPath ?? "").split(separator: ":").map(String.init)
        dirs += (environment["LIBPATH"] ?? "").split(separator: ":").map(String.init)
        dirs += userDirectories + defaultDirectories
        for d in dirs where FileSystem.isRegularFile(d + "/" + m.base) { return d + "/" + m.base }
        return nil
    }

    /// The directories the Linux loader searches by default: /etc/ld.so.conf (with its
    /// `include` lines), then the multiarch and plain /lib and /usr/lib directories.
    public static func elfDefaultDirectories() -> [String] {
        var dirs: [String] = []
        func readConf(_ path: String, depth: Int) {
            guard depth < 8, let text = FileSystem.readText(path) else { return }
            for raw in text.split(separator: "\n") {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingSpaces } ?? ""
                if line.isEmpty { continue }
                if line.hasPrefix("include ") {
                    for f in FileSystem.glob(String(line.dropFirst(8)).trimmingSpaces) { readConf(f, depth: depth + 1) }
                } else if line.hasPrefix("/") {
                    dirs.append(line)
                }
            }
        }
        readConf("/etc/ld.so.conf", depth: 0)
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafePointer(to: uts.machine) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
        let triple = machine == "x86_64" ? "x86_64-linux-gnu" : machine == "aarch64" ? "aarch64-linux-gnu" : "\(machine)-linux-gnu"
        dirs += ["/lib/\(triple)", "/usr/lib/\(triple)", "/lib64", "/usr/lib64", "/lib", "/usr/lib"]
        // With a merged /usr, /lib/x86_64-linux-gnu and /usr/lib/x86_64-linux-gnu are one
        // directory: keep the first name of each.
        var seen: [String] = []
        var real = Set<String>()
        for d in dirs where FileSystem.isDirectory(d) && real.insert(FileSystem.canonical(d)).inserted { seen.append(d) }
        return seen
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}

extension String {
    func range(of target: String) -> Range<String.Index>? { Substring(self).range(of: target) }
}
