#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One file to read, and the directory argument it was found under (nil when named itself).
public struct InputPath: Sendable, Equatable {
    public var path: String
    /// The directory given on the command line that this file was found in. A file found in a
    /// directory that is not an object is skipped silently (and counted); a file named
    /// explicitly that is not an object is an error.
    public var directory: String?

    public init(path: String, directory: String? = nil) {
        self.path = path
        self.directory = directory
    }
}

/// Expands command-line paths: a directory stands for every regular file under it,
/// recursively, in a fixed order (names sorted bytewise, depth first), so that listings are
/// reproducible. Symbolic links inside a directory are not followed: in library directories
/// they are mostly other names of files that are listed under their real name, and following
/// directory links could loop. Anything else (a file, a missing path) is passed through, to be
/// reported by the loader.
public enum InputPaths {
    public static func expand(_ paths: [String]) -> (inputs: [InputPath], errors: [InputError]) {
        var inputs: [InputPath] = []
        var errors: [InputError] = []
        // One stat per argument, on all cores when there are many (a shell glob of hundreds).
        let isDirectory = paths.count < 64 ? paths.map(isADirectory) : Parallel.map(paths.count) { isADirectory(paths[$0]) }
        for (p, dir) in zip(paths, isDirectory) {
            if dir {
                walk(p, root: p, into: &inputs, &errors)
            } else {
                inputs.append(InputPath(path: p))
            }
        }
        return (inputs, errors)
    }

    private static func isADirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Regular files under `dir`, sorted; a subdirectory that cannot be read is an error.
    public static func files(under dir: String) -> (files: [String], errors: [InputError]) {
        var inputs: [InputPath] = []
        var errors: [InputError] = []
        walk(dir, root: dir, into: &inputs, &errors)
        return (inputs.map(\.path), errors)
    }

    private static func walk(_ dir: String, root: String, into inputs: inout [InputPath], _ errors: inout [InputError]) {
        guard let d = opendir(dir) else {
            errors.append(InputError(path: dir, message: "cannot read directory: " + String(cString: strerror(errno))))
            return
        }
        var entries: [(name: String, type: UInt8)] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            entries.append((name, e.pointee.d_type))
        }
        closedir(d)
        entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        for (name, type) in entries {
            let path = prefix + name
            var kind = type
            if kind == UInt8(DT_UNKNOWN) {
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: kind = UInt8(DT_DIR)
                case S_IFREG: kind = UInt8(DT_REG)
                default: kind = UInt8(DT_LNK)
                }
            }
            if kind == UInt8(DT_DIR) {
                walk(path, root: root, into: &inputs, &errors)
            } else if kind == UInt8(DT_REG) {
                inputs.append(InputPath(path: path, directory: root))
            }
        }
    }
}
