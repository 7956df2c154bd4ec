#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with one condition variable: the shared state of a pipeline of threads is read and
/// changed under `lock`, and a thread that finds nothing to do `wait`s until another one
/// `broadcast`s a change.
public final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Releases the lock while waiting; holds it again on return. Call with the lock held.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every waiting thread. Call with the lock held.
    public func broadcast() { pthread_cond_broadcast(condition) }
}
