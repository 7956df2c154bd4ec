import MappedFile
import ObjectModel

/// A wheel platform policy (manylinux, musllinux, Android) for one architecture, from
/// auditwheel's policy files (see WheelPolicyData.swift, scripts/generate-wheel-policies): the
/// external libraries a module may need, and the newest symbol version of each versioned
/// system library (GLIBC, GLIBCXX, CXXABI, GCC…) it may need.
public struct WheelPolicy: Sendable {
    /// `manylinux_2_17`.
    public let name: String
    /// `x86_64`, `aarch64`, … (auditwheel's architecture names).
    public let arch: String
    let libraries: Set<String>
    /// Allowed versions by library prefix: `GLIBC` → `2.2.5`, `2.3`, …
    let versions: [String: Set<String>]

    /// `manylinux_2_17_x86_64`.
    public var tag: String { "\(name)_\(arch)" }

    /// The policy a platform tag or policy name names: `manylinux_2_17`, `manylinux_2_28_aarch64`,
    /// `manylinux2014`, `manylinux1_x86_64`, `musllinux_1_2`, `android_21_arm64_v8a`. Without an
    /// architecture in the tag, `machine` (the module's ELF machine) gives it. Nil for tags with
    /// no policy (`linux_x86_64`, `win_amd64`) and for unknown names.
    public static func named(_ tag: String, machine: String?) -> WheelPolicy? {
        for p in WheelPolicyData.policies {
            for name in [p.name] + p.aliases.split(separator: " ").map(String.init) where tag == name || tag.hasPrefix(name + "_") {
                let rest = tag == name ? nil : String(tag.dropFirst(name.count + 1))
                // `manylinux_2_1` must not take `manylinux_2_17_x86_64`: the rest is an architecture.
                guard let arch = rest.map(Self.archName) ?? machine.flatMap(Self.arch(ofMachine:)),
                      let versions = p.versions.first(where: { $0.arch == arch })?.versions else { continue }
                var table: [String: Set<String>] = [:]
                for entry in versions.split(separator: ";") {
                    let kv = entry.split(separator: "=", maxSplits: 1)
                    table[String(kv[0])] = Set((kv.count > 1 ? kv[1] : "").split(separator: " ").map(String.init))
                }
                var libs = Set(p.libraries.split(separator: " ").map(String.init))
                // auditwheel's musl fix-up: the policy's `libc.so` is musl's loader-named libc.
                if p.name.hasPrefix("musllinux"), libs.remove("libc.so") != nil {
                    libs.insert("libc.musl-\(arch == "i686" ? "x86" : arch == "armv7l" ? "armv7" : arch).so.1")
                }
                return WheelPolicy(name: p.name, arch: arch, libraries: libs, versions: table)
            }
        }
        return nil
    }

    /// Wheel tags name some architectures differently from auditwheel's policies.
    static func archName(_ tagArch: String) -> String {
        switch tagArch {
        case "arm64_v8a": "aarch64"
        case "armeabi_v7a": "armv7l"
        default: tagArch
        }
    }

    /// auditwheel's name for an ELF machine as symscan names it.
    static func arch(ofMachine m: String) -> String? {
        switch m {
        case "x86-64": "x86_64"
        case "i386": "i686"
        case "aarch64": "aarch64"
        case "arm": "armv7l"
        case "powerpc64": "ppc64le"
        case "s390": "s390x"
        case "riscv": "riscv64"
        case "loongarch": "loongarch64"
        default: nil
        }
    }

    /// What `image` (a module or a library of the wheel) needs that the policy does not allow:
    /// `symbol-version-too-new` (which symbols need which version, as auditwheel-symbols
    /// answers) and `library-not-allowed` (DT_NEEDED libraries outside the policy's list).
    /// `bundled`: sonames the wheel carries itself (`<package>.libs/`), which are allowed.
    public func check(image: ObjectImage, bundled: Set<String> = []) -> [Finding] {
        guard let d = image.dynamic else { return [] }
        var findings: [Finding] = []
        let file = image.displayName.split(separator: "/").last.map(String.init) ?? image.displayName
        if let m = image.machine, let a = Self.arch(ofMachine: m), a != arch, !(a == "ppc64le" && arch == "ppc64") {
            findings.append(Finding(id: .policyMachineMismatch, severity: .error,
                                    message: "\(file) is for \(a), but the platform tag is \(tag)"))
        }
        for need in d.versionNeeds where !need.file.hasPrefix("ld-linux") && need.file != "ld64.so.1" && need.file != "ld64.so.2" {
            for v in need.versions {
                // auditwheel splits `GLIBC_2.34` at its first `_`; libraries it has no table
                // for (a bundled library's own versions) are not limited.
                guard let us = v.firstIndex(of: "_") else { continue }
                let prefix = String(v[..<us]), number = String(v[v.index(after: us)...])
                guard let allowed = versions[prefix], !allowed.contains(number) else { continue }
                let symbols = d.symbols.filter { !$0.defined && $0.version?.string == v }.map { "\($0.name.string)@\(v)" }
                findings.append(Finding(
                    id: .symbolVersionTooNew, severity: .error,
                    message: "\(file) needs \(v) from \(need.file)\(symbols.isEmpty ? "" : " (\(Resolution.list(symbols)))"), newer than \(tag) allows: build on an older system (the \(name) image) or raise the tag",
                    symbols: symbols))
            }
        }
        let notAllowed = d.importModules.map(\.base).filter { !libraries.contains($0) && !bundled.contains($0) }
        for lib in notAllowed {
            findings.append(Finding(
                id: .libraryNotAllowed, severity: .error,
                message: "\(file) needs \(lib), which \(tag) does not allow to come from the system: bundle it into the wheel (auditwheel repair) or link it statically"))
        }
        return findings
    }
}

extension Resolution {
    /// `--policy`: every target is checked against the named platform policy.
    mutating func applyWheelPolicy() {
        guard let name = options.policy, target.family == .elf else { return }
        guard let policy = WheelPolicy.named(name, machine: firstTarget.machine) else {
            diagnosis.findings.append(Finding(id: .policyUnknown, severity: .error,
                                              message: "--policy \(name): no manylinux, musllinux or Android policy of that name for \(firstTarget.machine ?? "this machine")"))
            return
        }
        for t in linkSet.targets { diagnosis.findings += policy.check(image: t) }
    }
}
