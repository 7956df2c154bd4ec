import ELF
import MappedFile
import ObjectModel

extension ImageLoader {
    static let thinArchiveMessage =
        "thin archive: its members are separate files that it only names; not supported (list them instead)"

    /// One image per ELF member, in archive order. A member that is not ELF (a Rust `.rlib`'s
    /// `lib.rmeta`, LLVM bitcode) is skipped with a note; a damaged member is reported as an
    /// error against `archive(member)` and the other members are still read.
    static func loadArArchive(_ region: ByteRegion, path: String, options: ReadOptions,
                              into result: inout LoadResult) throws(ParseError) {
        let members = try ArArchive.members(region)
        let outcomes = Parallel.map(members.count) { i -> MemberOutcome in
            let m = members[i]
            let display = "\(path)(\(m.name))"
            guard m.data.contains(offset: 0, length: 4),
                  (try? m.data.bytes(0, 4, "ar member magic").hasPrefix("\u{7F}ELF")) == true
            else {
                return .note("\(display): skipped: not an ELF object")
            }
            do throws(ParseError) {
                return .image(try ELFFile(m.data).image(path: path, member: m.name, options: options))
            } catch {
                return .error(InputError(path: display, message: error.parseMessage, offset: error.offset))
            }
        }
        for o in outcomes { o.add(to: &result) }
        if members.isEmpty { result.notes.append("\(path): empty archive") }
    }
}
