/// How much a wheel may make symscan inflate: a wheel comes from an untrusted index, and a 10 MB
/// zip can claim a 10 GiB member, or 1000 directory entries that all point at one stream.
/// Bounds by default, raised with `check --wheel-limits member=4G,wheel=16G,ratio=1000,entries=1M`.
public struct ZipLimits: Sendable, Equatable {
    /// Inflated bytes of one member.
    public var memberBytes: Int = 1 << 30
    /// Inflated bytes of all the members of one wheel that are read.
    public var wheelBytes: Int = 4 << 30
    /// Inflated size over compressed size for a member above `ratioFloor` bytes: deflate reaches
    /// about 1000:1 only on runs of one byte, which is what a bomb is made of; shared objects
    /// compress 3-10:1.
    public var ratio: Int = 100
    /// Members this small are never refused for their ratio (zero-padded sections).
    public var ratioFloor: Int = 16 << 20
    /// Central-directory entries.
    public var entries: Int = 100_000

    public static let standard = ZipLimits()

    public init() {}

    /// `member=SIZE,wheel=SIZE,ratio=N,entries=N` (any subset; sizes take K, M, G suffixes,
    /// powers of 1024); a failure saying why when the text is not that.
    public static func parse(_ text: String) -> Result<ZipLimits, ZipError> {
        var limits = ZipLimits()
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = number(parts[1]), value > 0 else {
                return .failure(ZipError("--wheel-limits: '\(item)' is not KEY=NUMBER (member, wheel, ratio, entries)"))
            }
            switch parts[0] {
            case "member": limits.memberBytes = value
            case "wheel": limits.wheelBytes = value
            case "ratio": limits.ratio = value
            case "entries": limits.entries = value
            default: return .failure(ZipError("--wheel-limits: unknown key '\(parts[0])' (member, wheel, ratio, entries)"))
            }
        }
        return .success(limits)
    }

    static func number(_ s: Substring) -> Int? {
        let shift: Int
        var digits = s
        switch s.last {
        case "K", "k": shift = 10
        case "M", "m": shift = 20
        case "G", "g": shift = 30
        case "T", "t": shift = 40
        default: shift = 0
        }
        if shift > 0 { digits = s.dropLast() }
        guard let v = Int(digits), v >= 0, v <= Int.max >> shift else { return nil }
        return v << shift
    }

    /// Why a member of `size` bytes, `compressed` in the wheel, is refused; nil when allowed.
    func refusal(size: Int, compressed: Int) -> String? {
        if size > memberBytes {
            return "inflates to \(size) bytes, more than the \(memberBytes)-byte bound for one member (--wheel-limits member=)"
        }
        if size > ratioFloor && size / max(compressed, 1) > ratio {
            return "inflates \(size / max(compressed, 1)):1 (\(compressed) bytes to \(size)), more than the \(ratio):1 bound (--wheel-limits ratio=)"
        }
        return nil
    }
}
