internal import COnnxRuntime

/// Owns one `OrtRunOptions`, created per run so that cancelling the calling task can stop that run alone.
final class ORTRunOptions: @unchecked Sendable {
    // Safe: `pointer` never changes after init. ORT documents `RunOptionsSetTerminate` as callable from another
    // thread while `Run` uses the options, which is the only cross-thread use made here.
    private let pointer: OpaquePointer
    private let api: ORTAPI

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
        _ = try? api.check(api.table.pointee.RunOptionsSetTerminate(pointer))
    }

    /// Calls `body` with the `OrtRunOptions*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}
