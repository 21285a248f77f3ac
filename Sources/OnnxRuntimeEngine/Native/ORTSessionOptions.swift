internal import COnnxRuntime

/// Owns one `OrtSessionOptions`: the settings a session is created with. Used on one thread while a load runs.
final class ORTSessionOptions {
    private let pointer: OpaquePointer
    let api: ORTAPI

    /// Creates default options (`CreateSessionOptions`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    init(api: ORTAPI) throws(OnnxRuntimeStatus) {
        var options: OpaquePointer?
        try api.check(api.table.pointee.CreateSessionOptions(&options))
        guard let options else { throw .nullResult("CreateSessionOptions") }
        self.pointer = options
        self.api = api
    }

    deinit { api.table.pointee.ReleaseSessionOptions(pointer) }

    /// Sets the threads used inside one operator (`SetIntraOpNumThreads`); 0 means ORT's default.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT rejects the value.
    func setIntraOpThreads(_ threads: Int) throws(OnnxRuntimeStatus) {
        try api.check(api.table.pointee.SetIntraOpNumThreads(pointer, Int32(clamping: threads)))
    }

    /// Sets the graph optimization level (`SetSessionGraphOptimizationLevel`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT rejects the level.
    func setGraphOptimization(_ level: OnnxGraphOptimization) throws(OnnxRuntimeStatus) {
        let native = GraphOptimizationLevel(rawValue: UInt32(level.nativeValue))
        try api.check(api.table.pointee.SetSessionGraphOptimizationLevel(pointer, native))
    }

    /// Calls `body` with the `OrtSessionOptions*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}

extension ORTSessionOptions {
    /// Makes the session use the environment's shared thread pools instead of its own (`DisablePerSessionThreads`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func disablePerSessionThreads() throws(OnnxRuntimeStatus) {
        try withPointer { options throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.DisablePerSessionThreads(options))
        }
    }
}
