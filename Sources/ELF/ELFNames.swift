/// Readable names for `e_machine` and `EI_OSABI`, as binutils spells the common ones.
/// Unlisted values are shown by number, so nothing is ever dropped.
enum ELFNames {
    static func machine(_ m: UInt16) -> String {
        switch m {
        case 2: "sparc"
        case 3: "i386"
        case 4: "m68k"
        case 8: "mips"
        case 20: "powerpc"
        case 21: "powerpc64"
        case 22: "s390"
        case 40: "arm"
        case 42: "sh"
        case 43: "sparcv9"
        case 50: "ia64"
        case 62: "x86-64"
        case 183: "aarch64"
        case 243: "riscv"
        case 247: "bpf"
        case 258: "loongarch"
        default: "EM_\(m)"
        }
    }

    static func osABI(_ v: UInt8) -> String {
        switch v {
        case 0: "SYSV"
        case 1: "HP-UX"
        case 2: "NetBSD"
        case 3: "GNU"
        case 6: "Solaris"
        case 7: "AIX"
        case 8: "IRIX"
        case 9: "FreeBSD"
        case 12: "OpenBSD"
        case 64: "ARM EABI"
        case 97: "ARM"
        case 255: "standalone"
        default: "OSABI \(v)"
        }
    }
}

/// The machine names symscan gives (`ObjectImage.machine`), to check one a user typed
/// (`providers --machine`): the named ones and `EM_<number>` for the rest.
public enum ELFMachineNames {
    public static let named: [String] = [2, 3, 4, 8, 20, 21, 22, 40, 42, 43, 50, 62, 183, 243, 247, 258].map { ELFNames.machine($0) }

    public static func isValid(_ name: String) -> Bool {
        named.contains(name) || (name.hasPrefix("EM_") && UInt16(name.dropFirst(3)) != nil)
    }
}
