internal import Dispatch

/// Where one engine's blocking ONNX Runtime calls (session creation, `Run`) execute, so they never hold a thread of
/// Swift's cooperative pool. Each engine has its own queue, so holding one (``holdForTesting()``) holds no other
/// model. The queue is concurrent (ORT allows concurrent `Run` calls on one session) and targets the global
/// user-initiated queue, so every engine's work shares GCD's one bounded set of threads.
package struct NativeQueue: Sendable {
    private let queue = DispatchQueue(
        label: "ModelRegistry.OnnxRuntimeEngine.native", qos: .userInitiated, attributes: .concurrent,
        target: .global(qos: .userInitiated))

    /// Creates a queue of its own for one engine.
    init() {}

    /// Runs `work` on the native queue and suspends the caller, without blocking its thread, until it returns.
    /// Callers that can stop the work early wrap this in `withTaskCancellationHandler` (see `run`).
    /// - Parameter work: Blocking work; it must not throw (return a `Result` instead).
    /// - Returns: What `work` returned.
    func perform<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Holds every piece of this engine's work submitted from now on until the returned closure is called, for tests
    /// that need runs in flight inside the engine at a chosen moment (work already running finishes first). Other
    /// engines are not held. Blocks the calling thread until the work already running has finished.
    /// - Returns: The closure that lets the held work go.
    package func holdForTesting() -> @Sendable () -> Void {
        let holding = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        queue.async(flags: .barrier) {
            holding.signal()
            released.wait()
        }
        holding.wait()
        return { released.signal() }
    }
}
