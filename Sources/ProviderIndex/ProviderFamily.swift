import ObjectModel

/// Which libraries can provide symbols to a module: the same format and width, and for ELF
/// the same machine. A 64-bit AIX module cannot use a 32-bit member of `libc.a`, and an x86-64
/// module cannot use an AArch64 library that happens to sit in the same directory.
public struct ProviderFamily: Hashable, Sendable, CustomStringConvertible {
    public enum Format: String, Sendable { case elf, xcoff }

    public var format: Format
    public var is64: Bool
    /// ELF machine as `ObjectImage.machine` names it (`x86-64`, `aarch64`); nil accepts any.
    /// Unused for XCOFF (always PowerPC).
    public var machine: String?

    public init(format: Format, is64: Bool, machine: String? = nil) {
        self.format = format
        self.is64 = is64
        self.machine = format == .elf ? machine : nil
    }

    /// The family of the module being diagnosed; nil for an import/export list.
    public init?(of image: ObjectImage) {
        switch image.format {
        case .elf32: self.init(format: .elf, is64: false, machine: image.machine)
        case .elf64: self.init(format: .elf, is64: true, machine: image.machine)
        case .xcoff32: self.init(format: .xcoff, is64: false)
        case .xcoff64: self.init(format: .xcoff, is64: true)
        case .exp: return nil
        }
    }

    /// `elf64-x86-64`, `xcoff64`: also part of the cache file's name.
    public var description: String {
        let base = format.rawValue + (is64 ? "64" : "32")
        if let machine { return base + "-" + machine }
        return base
    }

    func accepts(_ image: ObjectImage) -> Bool {
        switch (format, image.format) {
        case (.elf, .elf32): return !is64 && machineMatches(image)
        case (.elf, .elf64): return is64 && machineMatches(image)
        case (.xcoff, .xcoff32): return !is64
        case (.xcoff, .xcoff64): return is64
        default: return false
        }
    }

    private func machineMatches(_ image: ObjectImage) -> Bool {
        machine == nil || image.machine == machine
    }

    /// XCOFF entry points are indexed and looked up without their leading dot: the linker
    /// reports `.PyErr_Print`, the library exports `PyErr_Print`.
    var stripsEntryPointDot: Bool { format == .xcoff }
}
