/// A symbol table that a reader decodes entry by entry, straight from the mapping, each time it
/// is walked, instead of holding it as an array of `Symbol`s.
///
/// `symscan symbols` lists through it: a 300,000-entry table then costs no memory beyond the
/// mapping, and its chunks can be rendered on several cores at once. The reader walks the whole
/// table once when it makes the decoder, and fails then if anything in it is damaged, so that
/// a broken file is reported before any of it is listed and walking it again cannot fail.
///
/// A decoder holds the reader's view of the file (and so the mapping); it is read-only after it
/// is made, so several threads may walk different chunks at the same time.
public protocol SymbolDecoder: Sendable {
    /// How many symbols the walks yield, all chunks together.
    var count: Int { get }
    /// The number of chunks: consecutive runs of about `SymbolList.chunkSize` symbols.
    var chunkCount: Int { get }
    /// Calls `body` for each symbol of chunk `chunk`, in table order.
    func forEach(chunk: Int, _ body: (borrowing Symbol) -> Void)
    /// Told that chunks `0...chunk` are written and will not be walked again: the decoder may
    /// take the pages only they read out of the resident set (`MappedFile.release`). Walks of
    /// later chunks, running meanwhile, must not be affected.
    func release(through chunk: Int)
}

extension SymbolDecoder {
    public func release(through chunk: Int) {}
}

/// An image's symbols, however the reader keeps them: in an array, or decoded on each walk.
/// Walked one chunk at a time, so that a renderer can hand chunks to several threads.
public struct SymbolList: Sendable {
    /// Symbols per chunk: large enough that handing a chunk to a thread (a lock, a buffer) is
    /// cheap beside rendering it, small enough that the chunks of a table of a few thousand
    /// symbols keep two cores busy, and that each rendered chunk stays small in memory
    /// (docs/performance.md, "Listing pipeline", has the measurements that chose it).
    public static let chunkSize = 1024

    private enum Storage: Sendable {
        case array([Symbol])
        case decoder(any SymbolDecoder)
    }
    private let storage: Storage

    public init(_ symbols: [Symbol]) { storage = .array(symbols) }
    public init(_ decoder: any SymbolDecoder) { storage = .decoder(decoder) }

    public var count: Int {
        switch storage {
        case .array(let a): a.count
        case .decoder(let d): d.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    public var chunkCount: Int {
        switch storage {
        case .array(let a): (a.count + Self.chunkSize - 1) / Self.chunkSize
        case .decoder(let d): d.chunkCount
        }
    }

    /// Chunks `0...chunk` are written and will not be walked again (see `SymbolDecoder`).
    public func release(through chunk: Int) {
        if case .decoder(let d) = storage { d.release(through: chunk) }
    }

    public func forEach(chunk: Int, _ body: (borrowing Symbol) -> Void) {
        switch storage {
        case .array(let a):
            let start = chunk * Self.chunkSize
            for i in start..<min(start + Self.chunkSize, a.count) { body(a[i]) }
        case .decoder(let d):
            d.forEach(chunk: chunk, body)
        }
    }
}
