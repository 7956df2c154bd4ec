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
