#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`, for state that many tasks touch on a hot path where an actor hop costs
/// too much.
///
/// Why not `Mutex` from Synchronization: on Linux its lock is implemented inside the standard library, which is not
/// built with the thread sanitizer, so `swift test --sanitize=thread` reports every access it guards as a race.
/// The sanitizer intercepts pthread mutexes, so with this type its reports are real. Keep `Value` non-empty (not
/// `()`): the sanitizer can mistake accesses to a zero-sized value for accesses to a neighbouring allocation.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between pthread_mutex_lock and pthread_mutex_unlock.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // @usableFromInline (with `lock`/`unlock`) so that `withLock` is inlined and specialized in other modules (the
    // engines' run paths), where an unspecialized generic call costs more than the lock itself.
    // @exclusivity(unchecked): the mutex already makes every access exclusive, and the runtime's dynamic check of
    // a class property (`swift_beginAccess`) cost a quarter as much as the lock on the lease fast path.
    @exclusivity(unchecked) @usableFromInline var value: Value

    /// Creates the lock around an initial value.
    /// - Parameter value: The initial value.
    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Do not suspend or call back into the same lock inside it.
    /// - Parameter body: Reads or changes the value.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    @inlinable package func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body(&value)
    }

    @usableFromInline func lock() { pthread_mutex_lock(mutex) }

    @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }
}
