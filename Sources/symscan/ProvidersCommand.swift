import ArgumentParser
import ELF
import ImageLoader
import ProviderIndex
import Reports

#if canImport(Glibc)
import Glibc
#endif

enum FamilyOption: String, ExpressibleByArgument, CaseIterable {
    case elf64, elf32, xcoff64, xcoff32
}

struct ProvidersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "Which libraries in the given directories export each symbol.",
        discussion: """
            Reads every shared library and archive directly in each --lib-dir (ELF: defined \
            global/weak dynamic symbols of default or protected visibility; XCOFF: loader \
            exports; archives: defined external symbols of their members), in parallel, and \
            caches the result per directory under $XDG_CACHE_HOME/symscan (default \
            ~/.cache/symscan), keyed by each library's path, size, modification and change \
            times and inode.

            Prints one line per name: NAME: PROVIDER... (nothing after the colon when no \
            library to suggest exports it), best first by the rule diagnose suggests with: \
            interposers and sanitizer runtimes (libasan, libmemusage, libfakeroot, ...) and \
            libraries that re-export a name from a library they link are left out; the C/C++ \
            runtime's libraries first, then the development name (libfoo.so) before a \
            versioned one or an archive, then directory order. --all lists every library that \
            exports the name, in directory order, then file order. Exit status 1 when some name has no provider, 2 when a \
            --lib-dir is not a readable directory (the others are still read).

            Example:
              symscan providers --lib-dir /usr/lib/x86_64-linux-gnu PyErr_Print deflate
            """
    )

    @Argument(help: "Symbol names to look up.")
    var names: [String] = []

    @Option(name: .customLong("lib-dir"), help: "A library directory (repeatable; searched in order).")
    var libDirs: [String] = []

    @Option(help: "Library family: elf64, elf32, xcoff64, xcoff32.")
    var family: FamilyOption = .elf64

    @Option(help: "ELF machine of the libraries (as symscan names it, e.g. x86-64, aarch64); default: any.")
    var machine: String?

    @Option(name: .customLong("cache-dir"), help: "Cache directory (default $XDG_CACHE_HOME/symscan or ~/.cache/symscan).")
    var cacheDir: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache.")
    var noCache = false

    @Flag(help: "List every library that exports each name, interposers included, in directory and file order.")
    var all = false

    @Flag(help: "Print how many libraries were read and how many came from the cache, on stderr.")
    var stats = false

    func validate() throws {
        if libDirs.isEmpty { throw ValidationError("give at least one --lib-dir.") }
        if let machine {
            if family == .xcoff64 || family == .xcoff32 {
                throw ValidationError("--machine applies to ELF libraries only.")
            }
            if !ELFMachineNames.isValid(machine) {
                throw ValidationError("unknown machine '\(machine)': one of \(ELFMachineNames.named.joined(separator: ", ")), or EM_<number>.")
            }
        }
    }

    func run() throws {
        let f: ProviderFamily
        switch family {
        case .elf64: f = ProviderFamily(format: .elf, is64: true, machine: machine)
        case .elf32: f = ProviderFamily(format: .elf, is64: false, machine: machine)
        case .xcoff64: f = ProviderFamily(format: .xcoff, is64: true)
        case .xcoff32: f = ProviderFamily(format: .xcoff, is64: false)
        }
        // A directory that is not there is reported, as an unreadable file is; the others are
        // still read, and the exit status is 2.
        var errors: [InputError] = []
        var dirs: [String] = []
        var seen = Set<String>()
        for d in libDirs {
            var st = stat()
            if stat(d, &st) != 0 {
                errors.append(InputError(path: d, message: "cannot read the library directory: \(String(cString: strerror(errno)))"))
            } else if (st.st_mode & S_IFMT) != S_IFDIR {
                errors.append(InputError(path: d, message: "not a directory (--lib-dir)"))
            } else if seen.insert(Self.canonical(d)).inserted {
                // One directory named twice (or by two paths) is searched once.
                dirs.append(d)
            }
        }
        let index = ProviderIndex.load(directories: dirs, family: f, cacheDirectory: cacheDir, useCache: !noCache)
        let out = OutputBuffer()
        var missing = false
        var ranking = ProviderRanking(directories: dirs)
        for name in names {
            let providers = all ? index.providers(of: name) : ranking.ranked(index.providers(of: name))
            missing = missing || providers.isEmpty
            out.write(name)
            out.write(":" as StaticString)
            for p in providers {
                out.write(byte: UInt8(ascii: " "))
                out.write(p)
            }
            out.write(byte: UInt8(ascii: "\n"))
        }
        out.flush()
        if stats {
            let s = index.statistics
            Diagnostics.say("providers: \(index.providerNames.count) providers, \(index.nameCount) names; \(s.librariesRead) libraries read, \(s.librariesFromCache) from the cache, \(s.cacheFilesRejected) cache files rejected, \(s.cacheFilesWritten) written")
        }
        if !errors.isEmpty {
            Diagnostics.report(errors)
            throw ExitCode(2)
        }
        if missing { throw ExitCode(1) }
    }

    static func canonical(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }
}
