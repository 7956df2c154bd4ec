#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Threads started with `pthread_create`, for work that must begin at once. libdispatch
/// starts the first worker of its global queue lazily, milliseconds after the first `async`,
/// while the calling thread works alone (docs/performance.md, "Listing pipeline").
public enum Threads {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// A started thread, to `join`.
    public struct Handle: Sendable {
        fileprivate let thread: pthread_t
    }

    /// Starts a thread running `body`; nil when the system refuses one (the caller then does
    /// without it).
    public static func start(_ body: @escaping @Sendable () -> Void) -> Handle? {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return nil
        }
        return Handle(thread: thread)
    }

    /// Waits for a thread `start` returned to finish.
    public static func join(_ handle: Handle) {
        pthread_join(handle.thread, nil)
    }

    /// Runs `body` on `count` threads at once, the calling thread being one of them, and
    /// returns when all have returned. Every caller has its threads take work from a shared
    /// queue, so a thread the system refuses is done without: the others take its share.
    public static func onEach(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        var started: [Handle] = []
        for _ in 1..<max(count, 1) {
            guard let t = start(body) else { break }
            started.append(t)
        }
        body()
        for t in started { join(t) }
    }
}
