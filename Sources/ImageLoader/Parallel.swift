import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs independent pieces of work on all cores and returns their results in index order, so
/// that output built from them is deterministic however the work was scheduled.
public enum Parallel {
    /// The most threads one `map` uses: the number of online cores unless set lower (1 runs
    /// everything on the calling thread; `symscan symbols --jobs`). Set it before starting work.
    nonisolated(unsafe) public static var maxWorkers: Int = onlineCores

    public static let onlineCores: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    /// `body(i)` for every `i` in `0..<count`, in parallel; the results in index order.
    ///
    /// Workers take the next index from a shared counter (so one big item does not hold up a
    /// fixed share of the others) and write each result to its own slot of a preallocated
    /// buffer: nothing else is shared and no lock is taken. `body` must be safe to call from
    /// several threads at once. With fewer than two items or one worker, runs on the calling
    /// thread.
    public static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        let workers = min(maxWorkers, count)
        if workers < 2 {
            // A plain loop: `(0..<count).map` is generic code that makes the Swift runtime
            // look up a protocol conformance by scanning all of them (a start-up cost).
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count { out.append(body(i)) }
            return out
        }
        let slots = UnsafeMutablePointer<T>.allocate(capacity: count)
        defer { slots.deallocate() }
        withoutActuallyEscaping(body) { body in
            let shared = Shared(body: body, slots: slots, count: count)
            // The threads are joined before `body` stops being valid.
            Threads.onEach(workers) {
                while true {
                    let i = shared.next.add(1, ordering: .relaxed).oldValue
                    if i >= shared.count { break }
                    (shared.slots + i).initialize(to: shared.body(i))
                }
            }
        }
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: slots, count: count)
            initialized = count
        }
    }
}

/// What the workers of one `map` share. Safe to share because every index is handed out once
/// (so every slot is written by one worker) and the closure is documented as callable from
/// several threads.
private final class Shared<T>: @unchecked Sendable {
    let body: (Int) -> T
    let slots: UnsafeMutablePointer<T>
    let count: Int
    let next = Atomic<Int>(0)

    init(body: @escaping (Int) -> T, slots: UnsafeMutablePointer<T>, count: Int) {
        self.body = body
        self.slots = slots
        self.count = count
    }
}
