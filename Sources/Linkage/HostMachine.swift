#if canImport(Glibc)
import Glibc
#endif
import ObjectModel

/// This machine, and the one decision of whether its libraries may stand in for what a target
/// loads: a module built for another machine (an aarch64 wheel checked on x86-64) would be
/// "resolved" against libraries its loader will never use, so it is not resolved against them.
public enum HostMachine {
    /// This machine as ELF names it (`ObjectImage.machine`: "x86-64", "aarch64"); nil if unknown.
    public static let elfMachine: String? = {
        var uts = utsname()
        uname(&uts)
        let arch = withUnsafePointer(to: uts.machine) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
        return elfMachine(arch: arch)
    }()

    /// The ELF machine name for an architecture as `uname -m` and wheel platform tags spell it
    /// (`x86_64`, `aarch64`, `arm64_v8a`, `i686`, `ppc64le`); nil when unknown.
    public static func elfMachine(arch: String) -> String? {
        switch arch {
        case "x86_64", "amd64": "x86-64"
        case "i386", "i486", "i586", "i686", "x86": "i386"
        case "aarch64", "arm64", "arm64_v8a": "aarch64"
        case "armv7l", "armv6l", "armv7", "armeabi_v7a": "arm"
        case "ppc64le", "ppc64": "powerpc64"
        case "ppc": "powerpc"
        case "s390x": "s390"
        case "riscv64": "riscv"
        case "loongarch64": "loongarch"
        default: nil
        }
    }

    /// Whether this machine's C library is musl (Alpine) rather than glibc: its loader is there.
    public static let isMusl: Bool = {
        let loaders: [String] = ["/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "/lib/ld-musl-i386.so.1"]
        return loaders.contains { FileSystem.isRegularFile($0) }
    }()

    /// The platform `image` is built for when this machine's libraries (default directories,
    /// the interpreter's libpython, the provider index of /usr/lib) cannot provide for it: an
    /// ELF image for another machine (`aarch64`), or for the other C library (a musllinux
    /// module needs `libc.musl-x86_64.so.1`, which a glibc machine does not have, and the
    /// reverse). Nil when they can; XCOFF never meets them (another format). `musl`: what the
    /// wheel's tag says (musllinux true, manylinux false), when the image comes from a wheel;
    /// musl modules name their C library `libc.musl-x86_64.so.1` or, older ones, `libc.so`.
    public static func otherPlatform(of image: ObjectImage, musl: Bool? = nil) -> String? {
        guard !image.isXCOFF else { return nil }
        if let m = image.machine, let host = elfMachine, m != host { return m }
        let needed = image.dynamic?.importModules.map(\.base) ?? []
        let needsMusl = musl ?? needed.contains { $0.hasPrefix("libc.musl-") || $0 == "libc.so" }
        if !isMusl && needsMusl { return "musl libc" }
        if isMusl && needed.contains("libc.so.6") { return "glibc" }
        return nil
    }
}
