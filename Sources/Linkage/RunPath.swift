import MappedFile
import ObjectModel

extension Resolution {
    /// Linking a shared library is not enough for it to load: glibc's loader looks for its
    /// soname only in the run paths, LD_LIBRARY_PATH, ld.so.cache and the default directories.
    /// When that search does not reach the library the fix links (a Python under its own
    /// prefix, as pyenv installs it), the output fails to start, or loads another copy found
    /// first; `-Wl,-rpath,DIR` (what `python3-config --embed` adds) makes it load this one.
    /// Returns those arguments and says why.
    mutating func runPathArguments(for libs: [Library]) -> [String] {
        guard target.family == .elf, let image = linkSet.targets.first else { return [] }
        var args: [String] = []
        for lib in libs {
            let base = FileSystem.baseName(lib.path)
            // Archives are copied into the output; only shared objects are loaded at run time.
            guard base.hasSuffix(".so") || base.contains(".so.") else { continue }
            let soname = lib.images.first?.dynamic?.soname ?? base
            let dir = FileSystem.canonical(FileSystem.directory(of: lib.path))
            // The search the loader will make for the output, without this machine's
            // LD_LIBRARY_PATH (the program's users will not have it).
            let found = search.findNeeded(soname, rpath: image.dynamic?.rpath ?? [], runpath: image.dynamic?.runpath ?? [],
                                          imagePath: image.path, environment: [:])
            if let found, FileSystem.canonical(found) == FileSystem.canonical(FileSystem.directory(of: lib.path) + "/" + soname) { continue }
            guard !args.contains("-Wl,-rpath,\(dir)") else { continue }
            args.append("-Wl,-rpath,\(dir)")
            let outcome = found.map { "loads \($0) instead, another copy that the loader finds first" }
                ?? "fails to start with \"\(soname): cannot open shared object file\""
            diagnosis.findings.append(Finding(
                id: .needsRunpath, severity: .warning,
                message: "\(lib.displayName) is in \(dir), where the loader's search for \(soname) does not lead (run paths, ld.so.conf, default directories): the output links but \(outcome) unless it is linked with -Wl,-rpath,\(dir)"))
        }
        return args
    }
}
