import MappedFile
import XCOFF

/// Which undefined symbols of an XCOFF object the linker actually sees: only those a
/// relocation uses (clang lists `.f` beside `f` when only `f`'s address is taken; GNU ld for
/// AIX reports neither kind as undefined when nothing refers to it). Read again from the file
/// (or AIX archive member) when a link needs it, so the model of an image stays as read.
public enum RelocationUse {
    /// The undefined names of the XCOFF object at `path` (or its archive `member`) that no
    /// relocation uses; empty when unknown (not XCOFF, no relocations, unreadable).
    public static func unusedUndefinedNames(path: String, member: String?) -> Set<String> {
        guard let file = try? MappedFile(path: path), let kind = try? FileKind.sniff(file.region) else { return [] }
        do throws(ParseError) {
            switch kind {
            case .xcoff where member == nil:
                return try XCOFFFile(file.region).unusedUndefinedNames()
            case .aixBigArchive, .aixSmallArchive:
                guard let member, let m = try AIXArchive(file.region).members().first(where: { $0.name.string == member }),
                      try FileKind.sniff(m.contents) == .xcoff else { return [] }
                return try XCOFFFile(m.contents).unusedUndefinedNames()
            default:
                return []
            }
        } catch {
            return []  // the image was read before; a damaged relocation table only loses this refinement
        }
    }
}
