import ELF
import MappedFile
import ObjectModel
import XCOFF

/// The members of an archive (Unix `ar` or AIX big/small), each read on its own when asked.
///
/// `ImageLoader.load` reads them all, in parallel; the listing pipeline reads them a few at a
/// time and writes each out before reading far ahead, so that an archive of any size is listed
/// in bounded memory, and the memory of one member (libelf's state, its symbols) is used again
/// for the next.
public struct ArchiveMembers: Sendable {
    /// The archive's path, as images and errors name it.
    public let path: String
    /// The mapping the members are slices of.
    public let file: MappedFile
    let options: ReadOptions
    private let kind: Kind

    private enum Kind: Sendable {
        case ar([ArArchive.Member])
        case aix([ArchiveMember], archive: ByteRegion)
    }

    /// Reads the archive's member table (not the members). nil when `region` is not an archive.
    init?(_ region: ByteRegion, kind: FileKind, path: String, options: ReadOptions) throws(ParseError) {
        self.path = path
        self.file = region.file
        self.options = options
        switch kind {
        case .arArchive:
            self.kind = .ar(try ArArchive.members(region))
        case .aixBigArchive, .aixSmallArchive:
            self.kind = .aix(try AIXArchive(region).members(), archive: region)
        default:
            return nil
        }
    }

    public var count: Int {
        switch kind {
        case .ar(let m): m.count
        case .aix(let m, _): m.count
        }
    }

    /// What the archive itself has to say, besides its members.
    public var notes: [String] {
        if case .ar(let m) = kind, m.isEmpty { return ["\(path): empty archive"] }
        return []
    }

    /// Whether a member starts like an object: those are the members that give images (unless
    /// damaged). Known from their first bytes, without reading them.
    public var hasObjectMembers: Bool {
        switch kind {
        case .ar(let members):
            return members.contains(where: Self.isELF)
        case .aix(let members, _):
            return members.contains { m in
                switch try? FileKind.sniff(m.contents) {
                case .xcoff: true
                case .unknown: ImportExportFile.looksLikeOne(m.contents, path: m.name.string)
                default: false
                }
            }
        }
    }

    /// Member `i`: its image, or why it has none. Safe to call from several threads at once.
    public func load(_ i: Int) -> MemberOutcome {
        switch kind {
        case .ar(let members): Self.load(members[i], path: path, options: options)
        case .aix(let members, let archive): Self.load(members[i], archive: archive, path: path, options: options)
        }
    }

    /// Every member, read in parallel, added to `result` in archive order.
    func loadAll(into result: inout LoadResult) {
        result.notes += notes
        for o in Parallel.map(count, load) { o.add(to: &result) }
    }

    /// An ELF member gives an image; one that is not ELF (a Rust `.rlib`'s `lib.rmeta`, LLVM
    /// bitcode) is skipped with a note; a damaged one is an error against `archive(member)`.
    private static func load(_ m: ArArchive.Member, path: String, options: ReadOptions) -> MemberOutcome {
        let display = "\(path)(\(m.name))"
        guard isELF(m) else { return .note("\(display): skipped: not an ELF object") }
        do throws(ParseError) {
            return .image(try ELFFile(m.data).image(path: path, member: m.name, options: options))
        } catch {
            return .error(InputError(path: display, message: error.parseMessage, offset: error.offset))
        }
    }

    private static func isELF(_ m: ArArchive.Member) -> Bool {
        m.data.contains(offset: 0, length: 4) && (try? m.data.bytes(0, 4, "ar member magic").hasPrefix("\u{7F}ELF")) == true
    }

    /// An XCOFF member or an import list gives an image; another kind of member (a text file,
    /// a nested archive) is skipped with a note; a damaged one is an error.
    private static func load(_ m: ArchiveMember, archive: ByteRegion, path: String, options: ReadOptions) -> MemberOutcome {
        let name = m.name.string
        let display = "\(path)(\(name))"
        do throws(ParseError) {
            switch try FileKind.sniff(m.contents) {
            case .xcoff:
                return .image(try XCOFFFile(m.contents).image(path: path, member: name, options: options))
            case .unknown where ImportExportFile.looksLikeOne(m.contents, path: name):
                return .image(try ImportExportFile(m.contents).image(path: path, member: name, storage: archive.file))
            case .empty:
                return .note("\(display): empty member skipped")
            case .unknown(let looks):
                return .note("\(display): not an object file (\(looks)); skipped")
            default:
                return .note("\(display): nested archive skipped")
            }
        } catch {
            return .error(InputError(path: display, message: error.parseMessage, offset: error.offset))
        }
    }
}

/// What one archive member gave.
public enum MemberOutcome: Sendable {
    case image(ObjectImage)
    case note(String)
    case error(InputError)

    public func add(to result: inout LoadResult) {
        switch self {
        case .image(let i): result.images.append(i)
        case .note(let n): result.notes.append(n)
        case .error(let e): result.errors.append(e)
        }
    }
}
