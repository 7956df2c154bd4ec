#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ImageLoader
import MappedFile

/// The paths a user names as options (`-L`, `--lib`, `--lib-dir`) are inputs like any other:
/// one that cannot be read is an error (exit 2, one line), in every subcommand the same way,
/// never a directory silently searched as if empty or a library "with nothing to link".
enum InputAccess {
    /// Nil when `path` is a directory that can be listed.
    static func directoryError(_ path: String, option: String) -> InputError? {
        if let tooLong = pathTooLong(path) { return tooLong }
        guard let d = opendir(path) else {
            let e = errno
            // The wording `providers --lib-dir` always had (strerror as it is).
            return InputError(path: path, message: e == ENOTDIR ? "not a directory (\(option))" : "cannot read the library directory: \(String(cString: strerror(e)))")
        }
        closedir(d)
        return nil
    }

    /// Nil when `path` is a file that can be opened for reading.
    static func fileError(_ path: String, option: String) -> InputError? {
        if let tooLong = pathTooLong(path) { return tooLong }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return InputError(path: path, message: "cannot read (\(option)): \(text(errno))") }
        close(fd)
        return nil
    }

    /// The kernel refuses a path of PATH_MAX bytes or more (ENAMETOOLONG): said as such.
    static func pathTooLong(_ path: String) -> InputError? {
        path.utf8.count >= Int(PATH_MAX) ? InputError(path: String(path.prefix(64)) + "…", message: "path of \(path.utf8.count) bytes is longer than PATH_MAX (\(PATH_MAX))") : nil
    }

    /// The errors of `-L` directories and `--lib` files.
    static func errors(_ options: LibraryOptions) -> [InputError] {
        options.libraryDirectories.compactMap { directoryError($0, option: "-L") }
            + options.libraryFiles.compactMap { fileError($0, option: "--lib") }
    }

    static func text(_ e: Int32) -> String {
        let t = String(cString: strerror(e))
        return (t.first.map { $0.lowercased() } ?? "") + t.dropFirst()
    }
}

/// The end-of-run check of `ShrinkWatch`: an input that shrank while it was read makes the run
/// unusable (exit 2, one line per file) instead of printing a verdict built from zeros.
enum ShrunkInputs {
    static func failIfAny() throws {
        let shrunk = ShrinkWatch.shrunkFiles()
        guard !shrunk.isEmpty else { return }
        Diagnostics.report(shrunk.map { InputError(path: $0.path, message: $0.message) })
        throw ExitCode(2)
    }
}
