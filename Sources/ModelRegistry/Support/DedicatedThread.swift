import Foundation

/// Blocking or long work on a thread of its own.
///
/// On Linux, Swift's tasks run on dispatch's global worker threads (`com.apple.root.default-qos`), so
/// `DispatchQueue.global().async` does not take work off them: a blocking read or a seconds-long hash there holds one
/// of the few threads every task of the process shares (two on a two-core machine) until dispatch notices and
/// starts more. A new thread holds none of them. Creating one costs tens of microseconds: for work that blocks or
/// lasts far longer (hashing a model file, reading a child's pipe), not for a hot path.
package enum DedicatedThread {
    /// Starts `work` on a new thread and returns at once.
    /// - Parameters:
    ///   - name: The thread's name, as debuggers and `top -H` show it.
    ///   - work: The work.
    package static func start(_ name: String, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread(block: work)
        thread.name = name
        thread.start()
    }

    /// Runs `work` on a new thread and suspends the caller, without blocking its thread, until it returns.
    /// - Parameters:
    ///   - name: The thread's name.
    ///   - work: The work; it must not throw (return a `Result` instead).
    /// - Returns: What `work` returned.
    package static func run<T: Sendable>(_ name: String, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(name) { continuation.resume(returning: work()) }
        }
    }
}
