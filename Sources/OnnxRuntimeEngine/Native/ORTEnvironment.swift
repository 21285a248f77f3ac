internal import COnnxRuntime
internal import Foundation
internal import ModelRegistry

/// Owns the process-wide `OrtEnv` (logging, and the shared thread pools when configured). It is created once,
/// lazily, the first time a model loads, and shared by every session; sessions keep it alive.
final class ORTEnvironment: @unchecked Sendable {
    // Safe: `pointer` and `sharedThreadPool` never change after init, and ORT allows one environment to be used by
    // sessions on any thread.
    private let pointer: OpaquePointer
    /// The API table the environment was created with.
    let api: ORTAPI
    /// The shared pools the environment holds, or `nil` when every session has its own.
    let sharedThreadPool: OnnxSharedThreadPool?

    /// Creates an environment whose log goes through ``ORTLog`` (`CreateEnvWithCustomLogger`), or, with a shared
    /// pool, `CreateThreadingOptions`, `SetGlobalIntraOpNumThreads`, `SetGlobalInterOpNumThreads`,
    /// `SetGlobalSpinControl` and `CreateEnvWithCustomLoggerAndGlobalThreadPools`.
    private init(api: ORTAPI, sharedThreadPool: OnnxSharedThreadPool?) throws(OnnxRuntimeStatus) {
        let table = api.table  // not `.pointee`: binding that copies the whole table
        var env: OpaquePointer?
        if let pool = sharedThreadPool {
            var options: OpaquePointer?
            try api.check(table.pointee.CreateThreadingOptions(&options))
            guard let options else { throw .nullResult("CreateThreadingOptions") }
            defer { table.pointee.ReleaseThreadingOptions(options) }
            try api.check(table.pointee.SetGlobalIntraOpNumThreads(options, Int32(clamping: pool.intraOpThreads)))
            try api.check(table.pointee.SetGlobalInterOpNumThreads(options, Int32(clamping: pool.interOpThreads)))
            try api.check(table.pointee.SetGlobalSpinControl(options, pool.allowSpinning ? 1 : 0))
            try api.check(table.pointee.CreateEnvWithCustomLoggerAndGlobalThreadPools(
                ORTLog.function, nil, ORTLog.environmentSeverity, "ModelRegistry", options, &env))
        } else {
            try api.check(table.pointee.CreateEnvWithCustomLogger(
                ORTLog.function, nil, ORTLog.environmentSeverity, "ModelRegistry", &env))
        }
        guard let env else { throw .nullResult("CreateEnvWithCustomLogger") }
        self.pointer = env
        self.api = api
        self.sharedThreadPool = sharedThreadPool
    }

    deinit { api.table.pointee.ReleaseEnv(pointer) }

    private enum Phase {
        /// Not created yet; the pool it will be created with.
        case pending(OnnxSharedThreadPool?)
        case created(Result<ORTEnvironment, OnnxRuntimeError>)
    }

    private static let phase = Locked(Phase.pending(sharedPoolFromEnvironment))

    /// The pool `MODELREGISTRY_ORT_SHARED_THREADS` asks for, if any.
    private static var sharedPoolFromEnvironment: OnnxSharedThreadPool? {
        guard let text = ProcessInfo.processInfo.environment[OnnxSharedThreadPool.environmentVariable],
            let threads = Int(text.trimmingCharacters(in: .whitespaces)), threads >= 0
        else { return nil }
        return OnnxSharedThreadPool(intraOpThreads: threads)
    }

    /// Chooses the shared pool the environment will be created with.
    /// - Throws: ``OnnxRuntimeError/invalidState(model:operation:state:)`` once the environment exists with another
    ///   choice.
    static func configure(sharedThreadPool: OnnxSharedThreadPool?) throws(OnnxRuntimeError) {
        try phase.withLock { phase throws(OnnxRuntimeError) in
            switch phase {
            case .pending: phase = .pending(sharedThreadPool)
            case .created(.success(let environment)) where environment.sharedThreadPool == sharedThreadPool: return
            case .created:
                throw .invalidState(
                    model: nil, operation: "choose the shared thread pool",
                    state: "running: ONNX Runtime's environment exists since the first model loaded")
            }
        }
    }

    /// The shared pool the environment has or will have.
    static var configuredSharedThreadPool: OnnxSharedThreadPool? {
        phase.withLock { phase in
            switch phase {
            case .pending(let pool): pool
            case .created(let result): (try? result.get())?.sharedThreadPool
            }
        }
    }

    /// The shared environment, created on first use.
    /// - Parameter model: The model to name in an error.
    /// - Returns: The environment.
    /// - Throws: ``OnnxRuntimeError/unsupportedLibrary(model:requiredAPI:libraryVersion:)`` when the library is too
    ///   old, ``OnnxRuntimeError/native(model:operation:status:)`` when creating the environment fails.
    static func get(model: String) throws(OnnxRuntimeError) -> ORTEnvironment {
        let result = phase.withLock { phase -> Result<ORTEnvironment, OnnxRuntimeError> in
            switch phase {
            case .created(let result): return result
            case .pending(let pool):
                let result = Result { () throws(OnnxRuntimeError) -> ORTEnvironment in
                    let api = try ORTAPI.get(model: nil)
                    do throws(OnnxRuntimeStatus) {
                        return try ORTEnvironment(api: api, sharedThreadPool: pool)
                    } catch {
                        throw .native(model: nil, operation: "CreateEnvWithCustomLogger", status: error)
                    }
                }
                phase = .created(result)
                return result
            }
        }
        do throws(OnnxRuntimeError) { return try result.get() } catch { throw error.naming(model: model) }
    }

    /// Calls `body` with the `OrtEnv*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}
