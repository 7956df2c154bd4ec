import Linkage

/// A wheel's file name as PEP 427 spells it:
/// `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`.
///
/// Baseline keys name a wheel without its version and build tag (`versionless`): every release
/// renames the wheel, and keys that changed with it made each module new at every version bump.
/// The distribution and the three compatibility tags stay, so that wheels of one release for
/// different Pythons or platforms (different binaries, with different problems) stay apart.
public struct WheelName: Sendable, Equatable {
    public var distribution: String
    public var version: String
    public var build: String?
    public var python: String
    public var abi: String
    public var platform: String

    /// Nil unless `fileName` ends in `.whl` and has 5 or 6 non-empty `-`-separated parts, the
    /// build tag (the third of 6) starting with a digit, as PEP 427 requires. Tools escape a
    /// `-` inside a name or version as `_`, so the parts are told apart by `-` alone.
    public init?(fileName: String) {
        guard fileName.hasSuffix(".whl") else { return nil }
        let parts = fileName.dropLast(4).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 || parts.count == 6, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        if parts.count == 6 {
            guard let first = parts[2].utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
            build = parts[2]
        }
        distribution = parts[0]
        version = parts[1]
        python = parts[parts.count - 3]
        abi = parts[parts.count - 2]
        platform = parts[parts.count - 1]
    }

    /// The platforms the tag names: a compressed tag set names several
    /// (`manylinux1_x86_64.manylinux_2_5_x86_64`).
    public var platforms: [String] { platform.split(separator: ".").map(String.init) }

    /// Why symscan cannot read this wheel's modules, or nil: every platform of its tag is one
    /// whose modules are Mach-O (`macosx_*`, `ios_*`) or PE (`win32`, `win_*`).
    public var unreadablePlatform: String? {
        let kinds = Set(platforms.map { p -> String? in
            if p.hasPrefix("macosx_") || p.hasPrefix("ios_") { return "a macOS/iOS wheel (Mach-O modules)" }
            if p == "win32" || p.hasPrefix("win_") { return "a Windows wheel (PE modules)" }
            return nil
        })
        guard kinds.count == 1, let only = kinds.first else { return nil }
        return only
    }

    /// Whether the tag names musl libc (`musllinux_*`: true) or glibc (`manylinux*`: false);
    /// nil for other tags.
    public var musl: Bool? {
        let p = platforms
        if !p.isEmpty && p.allSatisfy({ $0.hasPrefix("musllinux_") }) { return true }
        if !p.isEmpty && p.allSatisfy({ $0.hasPrefix("manylinux") }) { return false }
        return nil
    }

    /// The ELF machines (`x86-64`, `aarch64`) the tag's platforms name by their architecture
    /// suffix (`manylinux_2_17_x86_64`, `android_21_arm64_v8a`); empty for `any` or unknown ones.
    public var elfMachines: Set<String> {
        var out = Set<String>()
        for p in platforms {
            // The longest `_`-separated suffix that is an architecture: `arm64_v8a`, `x86_64`.
            var i = p.startIndex
            while let u = p[i...].firstIndex(of: "_") {
                if let m = HostMachine.elfMachine(arch: String(p[p.index(after: u)...])) {
                    out.insert(m)
                    break
                }
                i = p.index(after: u)
            }
        }
        return out
    }

    /// `{distribution}-{python tag}-{abi tag}-{platform tag}.whl`:
    /// `mypkg-cp311-cp311-manylinux_2_17_x86_64.whl` for every release of that wheel. With four
    /// parts it is never itself a wheel name that parses.
    public var versionless: String { "\(distribution)-\(python)-\(abi)-\(platform).whl" }

    /// The name a baseline key gives the wheel file `fileName`: `versionless` when the name
    /// parses, the whole name when it does not (nothing to tell its version by).
    public static func keyName(_ fileName: String) -> String {
        WheelName(fileName: fileName)?.versionless ?? fileName
    }
}
