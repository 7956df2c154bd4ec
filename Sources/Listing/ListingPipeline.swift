import Demangle
import ImageLoader
import MappedFile
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
/// The work comes in three kinds of task: opening a file (mapping it and reading its headers,
/// or an archive's member table; a file that is not an archive is then loaded at once: its
/// symbol tables are checked, and decoded again as they are listed, see
/// `ReadOptions.deferSymbols`), loading one archive member, and rendering one chunk of one
/// image's symbols into a buffer of its own. Worker threads take tasks as they come: chunks
/// first, then members, then files, the earliest first. The calling thread writes the output
/// in order and, whenever what it must write next is not ready, runs a task itself. There are
/// no barriers: while a large file's chunks are being rendered, the next files are loaded.
///
/// Memory stays bounded: files are opened at most `window` ahead of the one being written; the
/// members of the archive being written are loaded at most `window` ahead of the one being
/// written, those of later archives only while fewer than `window` files and members are
/// loaded and not yet written (each member is freed once written, so the next reuses its
/// memory); and besides the chunks of the file being written, at most `chunksAhead` chunks
/// wait rendered.
final class ListingPipeline: @unchecked Sendable {
    typealias MakeListing = @Sendable (ObjectImage) -> any ChunkedListing

    /// Chunk `chunk` of image `image` of part `part` of file `file`; `index` numbers the
    /// part's chunks.
    struct Chunk {
        let file: Int, part: Int, image: Int, chunk: Int, index: Int
    }

    /// What is written in one go: a whole file; or, for an archive, what the archive itself
    /// says (part 0) and then each member (parts 1...). Its images' listings, and a slot for
    /// each of their rendered chunks. (Arrays indexed by number, not dictionaries: a
    /// `Hashable` key makes the Swift runtime scan every protocol conformance in the binary at
    /// the first lookup: a start-up cost.)
    struct Part {
        let result: LoadResult
        let listings: [any ChunkedListing]
        /// Index of each image's first chunk among the part's chunks.
        let firstChunk: [Int]
        var rendered: [OutputBuffer?]
    }

    /// A file opened: its parts as they are loaded, and for an archive, its members.
    struct OpenFile {
        var parts: [Part?]
        let members: ArchiveMembers?
        /// The next member to load (0-based).
        var nextMember = 0
        var hasMembersToLoad: Bool { members.map { nextMember < $0.count } ?? false }
    }

    enum Task {
        case open(Int)
        case member(file: Int, Int)
        case render(Chunk)
    }

    let inputs: [InputPath]
    let options: ReadOptions
    let makeListing: MakeListing
    let window: Int
    let chunksAhead: Int
    let monitor = Monitor()

    // Shared state: read and changed only with `monitor` locked.
    private var nextOpen = 0
    private var files: [OpenFile?]
    /// Files and members being loaded or loaded, and not yet written.
    private var inFlight = 0
    /// Opened archives with members still to load, earliest first.
    private var archivesToLoad: [Int] = []
    /// Chunks waiting for a thread, latest first: the earliest is taken from the end.
    private var waiting: [Chunk] = []
    /// Chunks rendered and not yet written.
    private var renderedCount = 0
    private var helpersStarted = false
    /// The calling thread's demangler, for the tasks it runs while it waits (only that thread
    /// uses it).
    private var callerDemangler = Demangler()
    /// The helper threads started (`startHelpers`), joined at the end of `run`.
    private var helpers: [Threads.Handle] = []
    /// Chunk buffers written out and emptied, for the next chunks: a large buffer that is
    /// freed and allocated again costs a page fault per page each time.
    private var spare: [OutputBuffer] = []
    /// The file being written; every file before this one is done with.
    private var written = 0
    /// Members of the archive being written that are written.
    private var membersWritten = 0
    private var finished = false

    init(inputs: [InputPath], options: ReadOptions, window: Int, makeListing: @escaping MakeListing) {
        self.inputs = inputs
        self.options = options
        self.window = max(window, 1)
        // About 256 KiB of rendered text per thread (chunks of 1024 symbols).
        self.chunksAhead = 32 * Parallel.maxWorkers
        self.makeListing = makeListing
        self.files = Array(repeating: nil, count: inputs.count)
    }

    /// Runs the pipeline with `Parallel.maxWorkers` threads in all (the caller's included).
    /// `write` is called on the calling thread for every part of every file, in order, and
    /// writes it out with the given `Writer`.
    ///
    /// The other threads start only once there are two tasks: one small file is listed on the
    /// calling thread alone.
    func run(_ write: (Int, LoadResult, Writer) -> Void) {
        if inputs.count > 1 { startHelpers() }
        for f in inputs.indices {
            let members = awaitOpen(f)
            let parts = 1 + (members?.count ?? 0)
            for p in 0..<parts {
                let part = awaitPart(file: f, p)
                let writer = Writer(pipeline: self, file: f, part: p, listings: part.listings, firstChunk: part.firstChunk,
                                    archiveDone: members != nil && p == parts - 1 ? members?.file : nil)
                write(f, part.result, writer)
                monitor.lock()
                files[f]!.parts[p] = nil
                // A whole file is in flight until written; so is a member, but not the archive.
                if members == nil || p > 0 { inFlight -= 1 }
                membersWritten = p  // members are parts 1...
                monitor.broadcast()
                monitor.unlock()
            }
            monitor.lock()
            files[f] = nil
            written = f + 1
            membersWritten = 0
            monitor.broadcast()
            monitor.unlock()
        }
        monitor.lock()
        finished = true
        monitor.broadcast()
        let started = helpers
        monitor.unlock()
        for t in started { Threads.join(t) }
    }

    /// Starts the other `Parallel.maxWorkers - 1` threads, once (lock held, or before any).
    private func startHelpers() {
        if helpersStarted { return }
        helpersStarted = true
        for _ in 1..<max(Parallel.maxWorkers, 1) {
            guard let t = Threads.start({ self.work() }) else { break }
            helpers.append(t)
        }
    }

    /// Whether at least two images come out of the files, or an archive member: nm's rule for
    /// headings. Waits for every file to be opened when there are at most `window`; with more,
    /// there are taken to be two. An archive counts as having members that are images when one
    /// starts like an object. Called from `run`'s writer for the first file with images
    /// (`first`): the files before it, written already, had none.
    func moreThanOneImage(from first: Int) -> Bool {
        if inputs.count > window { return true }
        var images = 0
        for f in first..<inputs.count {
            if let members = awaitOpen(f) {
                if members.hasObjectMembers { return true }
                continue
            }
            let result = awaitPart(file: f, 0).result
            images += result.images.count
            if images > 1 || result.images.contains(where: { $0.member != nil }) { return true }
        }
        return false
    }

    /// Writes one part's images in order, a chunk at a time, as the chunks become ready.
    struct Writer {
        let pipeline: ListingPipeline
        let file: Int
        let part: Int
        let listings: [any ChunkedListing]
        let firstChunk: [Int]
        /// Set on an archive's last part: the archive, whose members were read while the
        /// listing was being written.
        let archiveDone: MappedFile?

        func writeImage(_ i: Int, headings: Bool, to out: OutputBuffer) {
            let listing = listings[i]
            listing.header(headings: headings, to: out)
            var prefix = listing.firstChunkPrefix
            for c in 0..<listing.list.chunkCount {
                let buffer = pipeline.awaitChunk(file: file, part: part, index: firstChunk[i] + c)
                if buffer.pendingCount > 0 {
                    out.write(contentsOf: buffer, droppingFirst: prefix)
                    prefix = 0
                }
                pipeline.recycle(buffer)
                // What only the written chunks read leaves the resident set, 8 chunks at a time
                // (each release interrupts the other cores to flush their TLBs).
                if c % 8 == 7 { listing.list.release(through: c) }
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
        // Members of the archive being written, up to `window` ahead of the writer; those of
        // a later archive only while few files and members are in flight. (What is in flight
        // ahead never holds up the archive being written: it could not be written before it.)
        // Files are opened whatever is in flight: the headings rule may wait for one.
        if let f = archivesToLoad.first,
           f <= written ? files[f]!.nextMember < membersWritten + window : inFlight < window {
            let m = files[f]!.nextMember
            files[f]!.nextMember += 1
            if !files[f]!.hasMembersToLoad { archivesToLoad.removeFirst() }
            inFlight += 1
            return .member(file: f, m)
        }
        if nextOpen < inputs.count && nextOpen < written + window {
            nextOpen += 1
            inFlight += 1
            return .open(nextOpen - 1)
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
        case .open(let f):
            let input = inputs[f]
            switch ImageLoader.open(path: input.path, foundInDirectory: input.directory != nil, sniffed: input.sniffed,
                                    options: options) {
            case .whole(let result):
                let part = self.part(result)
                monitor.lock()
                files[f] = OpenFile(parts: [nil], members: nil)
                add(part, file: f, 0)
            case .archive(let members):
                var head = LoadResult(path: input.path)
                head.notes = members.notes
                let part = self.part(head)
                monitor.lock()
                files[f] = OpenFile(parts: Array(repeating: nil, count: 1 + members.count), members: members)
                inFlight -= 1
                add(part, file: f, 0)
                if members.count > 0 {
                    // In file order: threads may finish opening files out of order.
                    var at = archivesToLoad.count
                    while at > 0 && archivesToLoad[at - 1] > f { at -= 1 }
                    archivesToLoad.insert(f, at: at)
                }
                if members.count > 1 { startHelpers() }
            }
        case .member(let f, let m):
            monitor.lock()
            let members = files[f]!.members!
            monitor.unlock()
            var result = LoadResult(path: members.path)
            members.load(m).add(to: &result)
            let part = self.part(result)
            monitor.lock()
            add(part, file: f, 1 + m)
        case .render(let c):
            let listing = listing(c)
            let out = buffer ?? OutputBuffer(collecting: min(listing.list.count, SymbolList.chunkSize) * listing.bytesPerSymbol)
            listing.chunk(c.chunk, demangler: &demangler, to: out)
            monitor.lock()
            files[c.file]!.parts[c.part]!.rendered[c.index] = out
            renderedCount += 1
        }
        monitor.broadcast()
    }

    /// A loaded part's listings (made without the lock).
    private func part(_ result: LoadResult) -> Part {
        var listings: [any ChunkedListing] = []
        var firstChunk: [Int] = []
        var chunkCount = 0
        for image in result.images {
            let l = makeListing(image)
            listings.append(l)
            firstChunk.append(chunkCount)
            chunkCount += l.list.chunkCount
        }
        return Part(result: result, listings: listings, firstChunk: firstChunk,
                    rendered: Array(repeating: nil, count: chunkCount))
    }

    /// Records a loaded part and queues its chunks (lock held).
    private func add(_ part: Part, file f: Int, _ p: Int) {
        files[f]!.parts[p] = part
        var chunks: [Chunk] = []
        for (i, l) in part.listings.enumerated() {
            for c in 0..<l.list.chunkCount {
                chunks.append(Chunk(file: f, part: p, image: i, chunk: c, index: part.firstChunk[i] + c))
            }
        }
        if chunks.isEmpty { return }
        // After the chunks of later parts (at the front), before those of earlier ones. Parts
        // finish loading nearly in order, so this is almost always the front.
        var at = 0
        while at < waiting.count && (waiting[at].file, waiting[at].part) > (f, p) { at += 1 }
        waiting.insert(contentsOf: chunks.reversed(), at: at)
        if waiting.count > 1 { startHelpers() }
    }

    /// The listing a chunk belongs to; its part is loaded, since the chunk exists.
    private func listing(_ c: Chunk) -> any ChunkedListing {
        monitor.lock()
        defer { monitor.unlock() }
        return files[c.file]!.parts[c.part]!.listings[c.image]
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

    /// Waits until file `f` is opened; its members if it is an archive.
    private func awaitOpen(_ f: Int) -> ArchiveMembers? {
        monitor.lock()
        defer { monitor.unlock() }
        return help { () -> ArchiveMembers?? in
            guard let file = files[f] else { return nil }
            return .some(file.members)
        }
    }

    private func awaitPart(file f: Int, _ p: Int) -> Part {
        monitor.lock()
        defer { monitor.unlock() }
        return help { files[f]!.parts[p] }
    }

    /// Takes back a chunk buffer that has been written out.
    fileprivate func recycle(_ buffer: OutputBuffer) {
        buffer.removeAll()
        monitor.lock()
        spare.append(buffer)
        monitor.unlock()
    }

    fileprivate func awaitChunk(file f: Int, part p: Int, index: Int) -> OutputBuffer {
        monitor.lock()
        defer { monitor.unlock() }
        return help { () -> OutputBuffer? in
            guard let buffer = files[f]!.parts[p]!.rendered[index] else { return nil }
            files[f]!.parts[p]!.rendered[index] = nil
            renderedCount -= 1
            return buffer
        }
    }
}
