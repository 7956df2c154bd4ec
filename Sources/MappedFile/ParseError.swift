/// A structural problem found while parsing: what was being read, where, and what is wrong.
///
/// `offset` is always an absolute byte offset in the file on disk (for an archive member, the
/// member's position in the archive is already added), so a user can look at it with `xxd -s`.
public struct ParseError: Error, CustomStringConvertible, Sendable {
    /// The structure being read, e.g. "XCOFF section header 3".
    public let structure: String
    public let offset: Int
    /// What is wrong, without the structure name or the offset.
    public let problem: String

    public init(_ structure: String, at offset: Int, _ problem: String) {
        self.structure = structure
        self.offset = offset
        self.problem = problem
    }

    /// "truncated XCOFF symbol table: needs 18 bytes, 7 left (at byte offset 1234)"
    public var description: String {
        "\(structure): \(problem) (at byte offset \(offset))"
    }
}
