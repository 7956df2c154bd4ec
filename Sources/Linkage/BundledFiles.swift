import ImageLoader

/// Files that ship with the diagnosed module but are not on disk yet: the members of the wheel
/// it is in. Once an installer unpacks the wheel, the loader finds a DT_NEEDED library among
/// them through the module's RPATH/RUNPATH with `$ORIGIN` = the module's directory; auditwheel
/// repair leaves exactly that (`$ORIGIN/../numpy.libs`). Reading them in place gives the
/// verdict the installed wheel will get, without unpacking it.
public struct BundledFiles: Sendable {
    /// What every member's reported path starts with: `dist/x.whl!`.
    public let prefix: String
    /// The members' names (paths inside the bundle, `numpy.libs/libgfortran-040039e1.so.5.0.0`).
    public let names: Set<String>
    private let loader: @Sendable (String) -> LoadResult?

    /// `load` reads one member (by its name inside the bundle) as an image, or nil.
    public init(prefix: String, names: Set<String>, load: @escaping @Sendable (String) -> LoadResult?) {
        self.prefix = prefix
        self.names = names
        self.loader = load
    }

    /// The member's name when `path` is a reported path inside this bundle.
    public func memberName(_ path: String) -> String? {
        path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    /// The directories inside the bundle that the loader searches for the image at `imagePath`:
    /// its `$ORIGIN` entries (RPATH only when there is no RUNPATH, as ld.so), resolved against
    /// the image's directory in the bundle. Entries that leave the bundle (`$ORIGIN/../..` past
    /// its top) or do not use `$ORIGIN` name places outside it.
    func searchDirectories(rpath: [String], runpath: [String], imagePath: String) -> [String] {
        guard let member = memberName(imagePath) else { return [] }
        let origin = PathNormal.directory(of: member)
        var out: [String] = []
        for entry in (runpath.isEmpty ? rpath : []) + runpath {
            guard entry.hasPrefix("$ORIGIN") || entry.hasPrefix("${ORIGIN}") else { continue }
            let rest = entry.hasPrefix("$ORIGIN") ? entry.dropFirst(7) : entry.dropFirst(9)
            if let dir = PathNormal.join(origin, String(rest)), !out.contains(dir) { out.append(dir) }
        }
        return out
    }

    /// The reported path of the member the loader would find for `soname`, or nil.
    func findNeeded(_ soname: String, in directories: [String]) -> String? {
        for dir in directories {
            let name = dir.isEmpty ? soname : dir + "/" + soname
            if names.contains(name) { return prefix + name }
        }
        return nil
    }

    /// Reads the member at a reported path.
    func load(_ path: String) -> LoadResult? {
        memberName(path).flatMap(loader)
    }
}

/// Lexical path arithmetic inside a bundle, where no file system can resolve `..`.
enum PathNormal {
    static func directory(of member: String) -> String {
        guard let slash = member.lastIndex(of: "/") else { return "" }
        return String(member[..<slash])
    }

    /// `base` + `rest` (`/../numpy.libs`) with `.` and `..` removed; nil when `..` climbs above
    /// the bundle's top.
    static func join(_ base: String, _ rest: String) -> String? {
        var parts = base.split(separator: "/").map(String.init)
        for p in rest.split(separator: "/") {
            if p == "." { continue }
            if p == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(p))
            }
        }
        return parts.joined(separator: "/")
    }
}
