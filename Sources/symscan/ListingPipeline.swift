import Dispatch
import Demangle
import ImageLoader
import ObjectModel
import Reports

/// One image's listing in the three parts the pipeline writes: a header, its symbols a chunk
/// at a time (rendered on any thread, in any order), a trailer.
protocol ChunkedListing: Sendable {
    var list: SymbolList { get }
    func header(headings: Bool, to out: OutputBuffer)
    func chunk(_ chunk: Int, demangler: inout Demangler, to out: OutputBuffer)
    func trailer(to out: OutputBuffer)
    /// Bytes to drop from the first chunk that writes anything (a JSON array's first comma).
    var firstChunkPrefix: Int { get }
    /// About how many bytes a listed symbol takes, to size chunk buffers.
    var bytesPerSymbol: Int { get }
}

extension SymbolListText: ChunkedListing {
    var firstChunkPrefix: Int { 0 }
    var bytesPerSymbol: Int { 64 }
}

extension SymbolListJSON.File: ChunkedListing {
    func header(headings: Bool, to out: OutputBuffer) { header(to: out) }
    var firstChunkPrefix: Int { 1 }
    var bytesPerSymbol: Int { 200 }
}

/// Lists many files, and large ones, on all cores, with the output in argument order, then
/// archive order, then table order: byte for byte what one thread would write.
///
/// The work comes in two kinds of task: loading a file (mapping it, reading its headers and
/// checking its symbol tables, which are then decoded again as they are listed: see
/// `ReadOptions.deferSymbols`), and rendering one chunk of one image's symbols into a buffer of
/// its own. Worker threads take tasks as they come, chunks before loads, the earliest first;
/// the calling thread writes the output in order and, whenever what it must write next is not
/// ready, runs a task itself. There are no barriers: while a large file's chunks are being
/// rendered, the next files are loaded.
///
/// Memory stays bounded: at most `window` files are loaded and not yet written, and besides
/// the chunks of the file being written, at most `chunksAhead` chunks wait rendered.
final class ListingPipeline: @unchecked Sendable {
    typealias MakeListing = @Sendable (ObjectImage) -> any ChunkedListing

    /// Chunk `chunk` of image `image` of file `file`; `index` numbers the file's chunks.
    struct Chunk {
        let file: Int, image: Int, chunk: Int, index: Int
    }

    /// A loaded file: its images' listings, and a slot for each of their rendered chunks.
    /// (Arrays indexed by number, not dictionaries: a `Hashable` key makes the Swift runtime
    /// scan every protocol conformance in the binary at the first lookup, about 0.2 ms.)
    struct Loaded {
        let result: LoadResult
        let listings: [any ChunkedListing]
        /// Index of each image's first chunk among the file's chunks.
        let firstChunk: [Int]
        var rendered: [OutputBuffer?]
    }

    enum Task {
        case load(Int)
        case render(Chunk)
    }

    let inputs: [InputPath]
    let options: ReadOptions
    let makeListing: MakeListing
    let window: Int
    let chunksAhead: Int
    let monitor = Monitor()

    // Shared state: read and changed only with `monitor` locked.
    private var nextLoad = 0
    private var loaded: [Loaded?]
    /// Chunks waiting for a thread, latest first: the earliest is taken from the end.
    private var waiting: [Chunk] = []
    /// Chunks rendered and not yet written.
    private var renderedCount = 0
    private var helpersStarted = false
    /// The calling thread's demangler, for the tasks it runs while it waits (only that thread
    /// uses it).
    private var callerDemangler = Demangler()
    private let helpers = DispatchGroup()
    /// Chunk buffers written out and emptied, for the next chunks: a large buffer that is
    /// freed and allocated again costs a page fault per page each time.
    private var spare: [OutputBuffer] = []
    /// Files written out; every file before this one is done with.
    private var written = 0
    private var finished = false

    init(inputs: [InputPath], options: ReadOptions, window: Int, makeListing: @escaping MakeListing) {
        self.inputs = inputs
        self.options = options
        self.window = max(window, 1)
        self.chunksAhead = 4 * Parallel.maxWorkers
        self.makeListing = makeListing
        self.loaded = Array(repeating: nil, count: inputs.count)
    }

    /// Runs the pipeline with `Parallel.maxWorkers` threads in all (the caller's included).
    /// `write` is called on the calling thread, once per file in order, and writes it out
    /// with the given `Writer`.
    ///
    /// The other threads start only once there are two tasks: one small file is listed on the
    /// calling thread alone.
    func run(_ write: (Int, LoadResult, Writer) -> Void) {
        if inputs.count > 1 { startHelpers() }
        for f in inputs.indices {
            let (result, listings, firstChunk) = awaitFile(f)
            write(f, result, Writer(pipeline: self, file: f, listings: listings, firstChunk: firstChunk))
            monitor.lock()
            loaded[f] = nil
            written = f + 1
            monitor.broadcast()
            monitor.unlock()
        }
        monitor.lock()
        finished = true
        monitor.broadcast()
        monitor.unlock()
        helpers.wait()
    }

    /// Starts the other `Parallel.maxWorkers - 1` threads, once (lock held, or before any).
    private func startHelpers() {
        if helpersStarted { return }
        helpersStarted = true
        for _ in 1..<max(Parallel.maxWorkers, 1) {
            DispatchQueue.global().async(group: helpers) { self.work() }
        }
    }

    /// Whether at least two images come out of the files, or an archive member: nm's rule for
    /// headings. Waits for every file to be loaded when there are at most `window`; with more,
    /// there are taken to be two. Called from `run`'s writer for the first file with images
    /// (`first`): the files before it, written already, had none.
    func moreThanOneImage(from first: Int) -> Bool {
        if inputs.count > window { return true }
        var images = 0
        for f in first..<inputs.count {
            let (result, _, _) = awaitFile(f)
            images += result.images.count
            if images > 1 || result.images.contains(where: { $0.member != nil }) { return true }
        }
        return false
    }

    /// Writes one file's images in order, a chunk at a time, as the chunks become ready.
    struct Writer {
        let pipeline: ListingPipeline
        let file: Int
        let listings: [any ChunkedListing]

        let firstChunk: [Int]

        func writeImage(_ i: Int, headings: Bool, to out: OutputBuffer) {
            let listing = listings[i]
            listing.header(headings: headings, to: out)
            var prefix = listing.firstChunkPrefix
            for c in 0..<listing.list.chunkCount {
                let buffer = pipeline.awaitChunk(file: file, index: firstChunk[i] + c)
                if buffer.pendingCount > 0 {
                    out.write(contentsOf: buffer, droppingFirst: prefix)
                    prefix = 0
                }
                pipeline.recycle(buffer)
            }
            listing.trailer(to: out)
        }
    }

    // MARK: - Tasks

    /// The next task for a thread, with the lock held; nil when there is none to take now.
    private func nextTask() -> Task? {
        // Chunks of the file being written are always taken; others only while few wait.
        if let c = waiting.last, c.file <= written || renderedCount < chunksAhead {
            waiting.removeLast()
            return .render(c)
        }
        if nextLoad < inputs.count && nextLoad < written + window {
            nextLoad += 1
            return .load(nextLoad - 1)
        }
        return nil
    }

    /// Runs `task` without the lock, then records what it made (lock held on entry and exit).
    /// `demangler` is the calling thread's: what it remembers serves the thread's next chunks.
    private func perform(_ task: Task, _ demangler: inout Demangler) {
        var buffer: OutputBuffer?
        if case .render = task { buffer = spare.popLast() }
        monitor.unlock()
        switch task {
        case .load(let f):
            let input = inputs[f]
            let result = ImageLoader.load(path: input.path, foundInDirectory: input.directory != nil, options: options)
            var listings: [any ChunkedListing] = []
            var firstChunk: [Int] = []
            var chunkCount = 0
            for image in result.images {
                let l = makeListing(image)
                listings.append(l)
                firstChunk.append(chunkCount)
                chunkCount += l.list.chunkCount
            }
            monitor.lock()
            loaded[f] = Loaded(result: result, listings: listings, firstChunk: firstChunk,
                               rendered: Array(repeating: nil, count: chunkCount))
            var chunks: [Chunk] = []
            for (i, l) in listings.enumerated() {
                for c in 0..<l.list.chunkCount { chunks.append(Chunk(file: f, image: i, chunk: c, index: firstChunk[i] + c)) }
            }
            // After the chunks of later files (at the front), before those of earlier ones.
            // Files finish loading nearly in order, so this is almost always the front.
            var at = 0
            while at < waiting.count && waiting[at].file > f { at += 1 }
            waiting.insert(contentsOf: chunks.reversed(), at: at)
            if waiting.count > 1 { startHelpers() }
        case .render(let c):
            let listing = listing(c)
            let out = buffer ?? OutputBuffer(collecting: min(listing.list.count, SymbolList.chunkSize) * listing.bytesPerSymbol)
            listing.chunk(c.chunk, demangler: &demangler, to: out)
            monitor.lock()
            loaded[c.file]!.rendered[c.index] = out
            renderedCount += 1
        }
        monitor.broadcast()
    }

    /// The listing a chunk belongs to; its file is loaded, since the chunk exists.
    private func listing(_ c: Chunk) -> any ChunkedListing {
        monitor.lock()
        defer { monitor.unlock() }
        return loaded[c.file]!.listings[c.image]
    }

    private func work() {
        var demangler = Demangler()
        monitor.lock()
        while !finished {
            if let task = nextTask() { perform(task, &demangler) } else { monitor.wait() }
        }
        monitor.unlock()
    }

    /// Waits, working meanwhile, until `ready` gives a value (called with the lock held).
    private func help<T>(until ready: () -> T?) -> T {
        while true {
            if let value = ready() { return value }
            if let task = nextTask() { perform(task, &callerDemangler) } else { monitor.wait() }
        }
    }

    private func awaitFile(_ f: Int) -> (LoadResult, [any ChunkedListing], [Int]) {
        monitor.lock()
        defer { monitor.unlock() }
        let entry = help { loaded[f] }
        return (entry.result, entry.listings, entry.firstChunk)
    }

    /// Takes back a chunk buffer that has been written out.
    fileprivate func recycle(_ buffer: OutputBuffer) {
        buffer.removeAll()
        monitor.lock()
        spare.append(buffer)
        monitor.unlock()
    }

    fileprivate func awaitChunk(file f: Int, index: Int) -> OutputBuffer {
        monitor.lock()
        defer { monitor.unlock() }
        return help { () -> OutputBuffer? in
            guard let buffer = loaded[f]!.rendered[index] else { return nil }
            loaded[f]!.rendered[index] = nil
            renderedCount -= 1
            return buffer
        }
    }
}
