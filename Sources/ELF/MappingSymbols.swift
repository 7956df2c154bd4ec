import MappedFile

/// ARM, AArch64 and RISC-V objects carry local "mapping symbols" (`$a`, `$t`, `$x`, `$d`, and
/// `$x.name`/`$d.name`) that mark where code and data start inside a section, for disassemblers.
/// They are not names anything links against; GNU nm hides them (BFD's
/// `is_target_special_symbol`), and so does this reader, so that listings and symbol sets
/// compare with nm's.
enum MappingSymbols {
    /// EM_ARM, EM_AARCH64, EM_RISCV: the machines whose objects have them.
    static func machineHasThem(_ machine: UInt16) -> Bool {
        machine == 40 || machine == 183 || machine == 243
    }

    static func isMapping(_ name: NameView, binding: UInt8, machine: UInt16) -> Bool {
        guard binding == ELFConst.stbLocal, name.count >= 2, name.first == UInt8(ascii: "$") else { return false }
        let kinds: StaticString
        switch machine {
        case 40: kinds = "atd"           // EM_ARM
        case 183: kinds = "xd"           // EM_AARCH64
        case 243: kinds = "xd"           // EM_RISCV
        default: return false
        }
        let c = name.bytes[1]
        let known = UnsafeBufferPointer(start: kinds.utf8Start, count: kinds.utf8CodeUnitCount).contains(c)
        guard known else { return false }
        if name.count == 2 || name.bytes[2] == UInt8(ascii: ".") { return true }
        // RISC-V `$x<isa string>` (e.g. `$xrv64i2p1_m2p0`) switches the instruction set.
        return machine == 243 && c == UInt8(ascii: "x")
    }
}
