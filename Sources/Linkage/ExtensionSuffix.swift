import MappedFile
import ObjectModel

extension Resolution {
    /// The import system finds a module only by the suffixes its interpreter accepts: its own
    /// EXT_SUFFIX (`.cpython-311-x86_64-linux-gnu.so`), `.abi3.so` (not on free-threaded
    /// builds) and `.so` (`importlib.machinery.EXTENSION_SUFFIXES` on Linux). A module named
    /// for another version or build is never found, and a tag naming another machine than
    /// the ELF one was built for the wrong target.
    mutating func checkExtensionSuffix() {
        guard target.family == .elf, platform == .linux, !isProgram else { return }
        let modules = linkSet.targets.filter { $0.kind == .shared && $0.member == nil }
        guard !modules.isEmpty else { return }
        let config = options.checkInterpreterExports && TargetPlatform.foreignReason(firstTarget) == nil
            ? interpreterConfig()?.config : nil
        for m in modules {
            let file = FileSystem.baseName(m.path)
            guard let dot = file.firstIndex(of: "."), file.hasSuffix(".so") else { continue }
            let stem = String(file[..<dot]), suffix = String(file[dot...])
            // `.cpython-312-x86_64-linux-gnu.so` → `x86_64`, compared with the ELF machine.
            let parts = suffix.dropFirst().dropLast(3).split(separator: "-")
            if parts.count >= 3, parts[0] == "cpython", let elf = m.machine.flatMap(WheelPolicy.arch(ofMachine:)),
               String(parts[2]) != elf, !(parts[2] == "i386" && elf == "i686"), !(parts[2].hasPrefix("powerpc64") && elf.hasPrefix("ppc64")) {
                diagnosis.findings.append(Finding(
                    id: .extensionSuffixMismatch, severity: .error,
                    message: "\(file) is named for \(parts[2]) but its code is for \(m.machine ?? elf): it was built for another target"))
            }
            guard let config, let own = config.extSuffix else { continue }
            let accepted = [own] + (config.freeThreaded ? [] : [".abi3.so"]) + [".so"]
            if !accepted.contains(suffix) {
                diagnosis.findings.append(Finding(
                    id: .extensionSuffixMismatch, severity: .error,
                    message: "\(config.interpreterName) imports \(stem) only as \(accepted.map { stem + $0 }.joined(separator: ", ")): \(file) is never found (ModuleNotFoundError); it was built for another Python version or build"))
            }
        }
    }
}
