internal import COnnxRuntime
internal import ModelRegistry

/// Owns one `OrtRunOptions`, used by one run at a time so that cancelling the calling task stops that run alone.
final class ORTRunOptions: @unchecked Sendable {
    // Safe: `pointer` never changes after init, `terminated` is locked. ORT documents `RunOptionsSetTerminate` as callable from another
    // thread while `Run` uses the options, which is the only cross-thread use made here.
    private let pointer: OpaquePointer
    private let api: ORTAPI
    private let terminated = Locked(false)

    /// Creates run options (`CreateRunOptions`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    init(api: ORTAPI) throws(OnnxRuntimeStatus) {
        var options: OpaquePointer?
        try api.check(api.table.pointee.CreateRunOptions(&options))
        guard let options else { throw .nullResult("CreateRunOptions") }
        self.pointer = options
        self.api = api
    }

    deinit { api.table.pointee.ReleaseRunOptions(pointer) }

    /// Asks a run using these options to stop as soon as it can (`RunOptionsSetTerminate`); the run then fails.
    func terminate() {
        terminated.withLock { $0 = true }
        _ = try? api.check(api.table.pointee.RunOptionsSetTerminate(pointer))
    }

    /// Whether ``terminate()`` was called; such options are not reused.
    var isTerminated: Bool { terminated.withLock { $0 } }

    /// Calls `body` with the `OrtRunOptions*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}
