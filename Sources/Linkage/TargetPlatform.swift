import MappedFile
import ObjectModel

/// Whether a module is for this machine: another ELF machine (aarch64 on x86-64) or another C
/// library (musl on glibc) must never be resolved against this machine's libraries, which its
/// loader would never load. `--sysroot DIR` (a target root) gives the libraries to use instead.
enum TargetPlatform {
    /// Why `image` is not for this machine, or nil when it is: `HostMachine.otherPlatform`
    /// decides (the one rule); `musl` is what a wheel's tag says, when known.
    static func foreignReason(_ image: ObjectImage, musl: Bool? = nil) -> String? {
        guard let other = HostMachine.otherPlatform(of: image, musl: musl) else { return nil }
        let here = "\(HostMachine.elfMachine ?? "unknown"), \(HostMachine.isMusl ? "musl libc" : "glibc")"
        return "is for \(other), this machine is \(here)"
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
            id: .foreignTargetNotResolved, severity: .note,
            message: "\(firstTarget.displayName) \(why): its libraries are not looked up on this machine (\(names.count) references not checked); give the target's root with --sysroot DIR to resolve them"))
    }
}
