import MappedFile
import ObjectModel

/// Why an input could not be used: one line for the user, with the byte offset when known.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public let offset: Int?

    public init(path: String, message: String, offset: Int? = nil) {
        self.path = path
        self.message = message
        self.offset = offset
    }

    /// `FILE: what is wrong (at byte offset N)`: the text after "symscan: ".
    public var description: String { "\(path): \(located)" }

    /// `what is wrong (at byte offset N)`: the message with the offset, when known.
    public var located: String { offset.map { "\(message) (at byte offset \($0))" } ?? message }
}

/// What loading one path produced: the images it holds (one, or one per archive member), and
/// the errors met (a bad member does not hide the good ones).
public struct LoadResult: Sendable {
    public var path: String
    public var images: [ObjectImage] = []
    public var errors: [InputError] = []
    public var notes: [String] = []
    /// True when the file is empty or not in a format symscan reads (its one error says which).
    /// A file found while scanning a directory is then skipped rather than reported.
    public var isNotAnObject = false

    public init(path: String) { self.path = path }
}
