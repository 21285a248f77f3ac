internal import Dispatch

/// Where blocking ONNX Runtime calls (session creation, `Run`) execute, so they never hold a thread of Swift's
/// cooperative pool. The queue is concurrent: ORT allows concurrent `Run` calls on one session, and loads of
/// different models proceed side by side. GCD bounds the number of threads it starts.
package enum NativeQueue {
    private static let queue = DispatchQueue(
        label: "ModelRegistry.OnnxRuntimeEngine.native", qos: .userInitiated, attributes: .concurrent)

    /// Runs `work` on the native queue and suspends the caller, without blocking its thread, until it returns.
    /// Callers that can stop the work early wrap this in `withTaskCancellationHandler` (see `run`).
    /// - Parameter work: Blocking work; it must not throw (return a `Result` instead).
    /// - Returns: What `work` returned.
    static func perform<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Holds every piece of work submitted from now on until the returned closure is called, for tests that need
    /// runs in flight inside the engine at a chosen moment (work already running finishes first). Every model in
    /// the process waits meanwhile: never call it outside tests.
    /// - Returns: The closure that lets the held work go.
    package static func holdForTesting() -> @Sendable () -> Void {
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
