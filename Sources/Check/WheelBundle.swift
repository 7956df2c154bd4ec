import ImageLoader
import Linkage
import Synchronization

/// The members of one wheel as `BundledFiles`: what its modules' `$ORIGIN` RPATH reaches once
/// installed. A library read for one module is kept for the others (numpy's 40 modules share
/// one bundled OpenBLAS of 30 MB; inflating it 40 times would dominate the run).
public enum WheelBundle {
    /// `path` is the wheel as reported (`dist/x.whl`).
    public static func files(_ zip: ZipArchive, path: String) -> BundledFiles {
        var byName: [String: ZipEntry] = [:]
        for e in zip.entries where !e.isDirectory { byName[e.name] = e }
        let prefix = path + "!"
        let cache = Cache()
        let entries = byName
        return BundledFiles(prefix: prefix, names: Set(byName.keys)) { name in
            guard let entry = entries[name] else { return nil }
            return cache.loaded(name) {
                do {
                    return ImageLoader.load(region: try zip.contents(entry), path: prefix + name)
                } catch {
                    var r = LoadResult(path: prefix + name)
                    r.errors = [InputError(path: prefix + name, message: "\(error)")]
                    return r
                }
            }
        }
    }

    /// Whether a member (or a file of an unpacked tree) is where repair tools put the
    /// libraries they bundle: auditwheel's `<package>.libs/`, delocate's `.dylibs/`. Such a
    /// file is a provider for the wheel's modules, never a module itself.
    public static func isBundledLibraryPath(_ path: String) -> Bool {
        let dirs = path.split(separator: "/").dropLast()
        return dirs.contains { $0.hasSuffix(".libs") || $0 == ".dylibs" }
    }

    final class Cache: Sendable {
        private let results = Mutex<[String: LoadResult]>([:])

        /// Held while loading, so two modules needing the same library read it once.
        func loaded(_ name: String, _ load: () -> LoadResult) -> LoadResult {
            results.withLock { r in
                if let done = r[name] { return done }
                let l = load()
                r[name] = l
                return l
            }
        }
    }
}
