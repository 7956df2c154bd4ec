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
    /// True when the walk has already read the file's first bytes and found that it could be
    /// an object (`InputPaths.expand(_:onlyObjectLike:)`): the loader need not read them again.
    public var sniffed = false

    public init(path: String, directory: String? = nil, sniffed: Bool = false) {
        self.path = path
        self.directory = directory
        self.sniffed = sniffed
    }
}

/// Expands command-line paths: a directory stands for every regular file under it,
/// recursively, in a fixed order (names sorted bytewise, depth first), so that listings are
/// reproducible; directories are read on all cores (`DirectoryWalk`). Symbolic links inside a
/// directory are not followed: in library directories they are mostly other names of files
/// that are listed under their real name, and following directory links could loop. Anything
/// else (a file, a missing path) is passed through, to be reported by the loader.
public enum InputPaths {
    /// What `expand` gives: the files to read, the directories that could not be read, and for
    /// each directory argument (once, in argument order), how many files in it were turned
    /// away by their first bytes, perhaps none.
    public struct Expansion {
        public var inputs: [InputPath] = []
        public var errors: [InputError] = []
        public var turnedAway: [(directory: String, count: Int)] = []
    }

    /// With `onlyObjectLike`, a file found in a directory is kept only when its first bytes
    /// could start an object, an archive or a shared object, or its name is `*.exp`/`*.imp`;
    /// the others are counted in `turnedAway`. (The loader turns them away the same way, from
    /// the same 8 bytes; doing it during the walk spreads it over all cores, and opens each by
    /// a name relative to its directory.)
    public static func expand(_ paths: [String], onlyObjectLike: Bool = false) -> Expansion {
        var out = Expansion()
        // One stat per argument, on all cores when there are many (a shell glob of hundreds).
        let isDirectory = paths.count < 64 ? paths.map(isADirectory) : Parallel.map(paths.count) { isADirectory(paths[$0]) }
        for (p, dir) in zip(paths, isDirectory) {
            if dir {
                let walk = DirectoryWalk.run(root: p, sniffing: onlyObjectLike)
                for f in walk.files { out.inputs.append(InputPath(path: f, directory: p, sniffed: onlyObjectLike)) }
                out.errors += walk.errors
                if let i = out.turnedAway.firstIndex(where: { $0.directory == p }) {
                    out.turnedAway[i].count += walk.turnedAway
                } else {
                    out.turnedAway.append((p, walk.turnedAway))
                }
            } else {
                out.inputs.append(InputPath(path: p))
            }
        }
        return out
    }

    private static func isADirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Regular files under `dir`, sorted; a subdirectory that cannot be read is an error.
    public static func files(under dir: String) -> (files: [String], errors: [InputError]) {
        let walk = DirectoryWalk.run(root: dir, sniffing: false)
        return (walk.files, walk.errors)
    }
}
