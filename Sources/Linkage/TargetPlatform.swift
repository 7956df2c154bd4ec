#if canImport(Glibc)
import Glibc
#endif
import MappedFile
import ObjectModel

/// Whether a module is for this machine: another ELF machine (aarch64 on x86-64) or another C
/// library (musl on glibc) must never be resolved against this machine's libraries, which its
/// loader would never load. `--sysroot DIR` (a target root) gives the libraries to use instead.
enum TargetPlatform {
    /// This machine's ELF machine, in the names the ELF reader uses.
    static let hostMachine: String? = {
        var uts = utsname()
        uname(&uts)
        let m = withUnsafePointer(to: uts.machine) { $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) } }
        switch m {
        case "x86_64": return "x86-64"
        case "i386", "i486", "i586", "i686": return "i386"
        case "aarch64", "arm64": return "aarch64"
        case "ppc64le", "ppc64": return "powerpc64"
        case "s390x": return "s390"
        case "riscv64": return "riscv"
        case "loongarch64": return "loongarch"
        default: return m.hasPrefix("arm") ? "arm" : nil
        }
    }()

    /// This machine's C library is musl (its loader is /lib/ld-musl-*).
    static let hostIsMusl: Bool = !FileSystem.list("/lib", prefix: "ld-musl-").isEmpty

    /// A module linked against musl needs `libc.musl-<arch>.so.1` (musllinux) or is loaded by
    /// ld-musl; glibc modules need `libc.so.6`.
    static func isMusl(_ image: ObjectImage) -> Bool {
        image.dynamic?.importModules.contains { $0.base.hasPrefix("libc.musl-") || $0.base.hasPrefix("ld-musl-") } ?? false
    }

    /// Why `image` is not for this machine, or nil when it is.
    static func foreignReason(_ image: ObjectImage) -> String? {
        guard image.isELF else { return nil }
        if let m = image.machine, let host = hostMachine, m != host { return "is for \(m), this machine is \(host)" }
        if isMusl(image) != hostIsMusl { return isMusl(image) ? "is linked against musl, this machine's C library is glibc" : "is linked against glibc, this machine's C library is musl" }
        return nil
    }

    /// The loader's default directories inside a target root: its ld.so.conf directories, then
    /// the multiarch, lib64 and plain lib directories that exist there.
    static func sysrootDirectories(_ root: String, machine: String?) -> [String] {
        let triple: String? = switch machine {
        case "x86-64": "x86_64-linux-gnu"
        case "aarch64": "aarch64-linux-gnu"
        case "i386": "i386-linux-gnu"
        case "powerpc64": "powerpc64le-linux-gnu"
        case "s390": "s390x-linux-gnu"
        case "riscv": "riscv64-linux-gnu"
        case "arm": "arm-linux-gnueabihf"
        default: nil
        }
        var dirs: [String] = []
        if let conf = FileSystem.readText(root + "/etc/ld.so.conf") {
            for line in conf.split(separator: "\n") where line.hasPrefix("/") { dirs.append(root + line.trimmingSpaces) }
        }
        for d in (triple.map { ["/lib/\($0)", "/usr/lib/\($0)"] } ?? []) + ["/lib64", "/usr/lib64", "/lib", "/usr/local/lib", "/usr/lib"] {
            dirs.append(root + d)
        }
        var seen: [String] = []
        var real = Set<String>()
        for d in dirs where FileSystem.isDirectory(d) && real.insert(FileSystem.canonical(d)).inserted { seen.append(d) }
        return seen
    }
}

extension Resolution {
    /// A module for another machine or C library, without `--sysroot`: the references that
    /// need the target's libraries are not checked (one note says so); the checks that need
    /// no libraries (Stable ABI, policy, PyInit_) still run.
    mutating func leaveForeignUnresolved(_ why: String) {
        let names = openOrder.filter { open[$0] != nil && !PythonAPI.isPythonName($0) }
        for k in names { resolve(k) }
        uncheckedCount = names.count
        diagnosis.findings.append(Finding(
            id: "foreign-target-not-resolved", severity: .note,
            message: "\(firstTarget.displayName) \(why): its libraries are not looked up on this machine (\(names.count) references not checked); give the target's root with --sysroot DIR to resolve them"))
    }
}
