/// Readable names for `e_machine` and `EI_OSABI`, as binutils spells the common ones.
/// Unlisted values are shown by number, so nothing is ever dropped.
enum ELFNames {
    /// `e_machine` values with a name, as binutils spells them.
    static let machines: [(UInt16, String)] = [
        (2, "sparc"), (3, "i386"), (4, "m68k"), (8, "mips"), (20, "powerpc"), (21, "powerpc64"),
        (22, "s390"), (40, "arm"), (42, "sh"), (43, "sparcv9"), (50, "ia64"), (62, "x86-64"),
        (183, "aarch64"), (243, "riscv"), (247, "bpf"), (258, "loongarch"),
    ]

    static func machine(_ m: UInt16) -> String {
        machines.first { $0.0 == m }?.1 ?? "EM_\(m)"
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
    public static let named: [String] = ELFNames.machines.map(\.1)

    public static func isValid(_ name: String) -> Bool {
        named.contains(name) || (name.hasPrefix("EM_") && UInt16(name.dropFirst(3)) != nil)
    }
}
