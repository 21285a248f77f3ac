internal import COnnxRuntime

/// Owns the process-wide `OrtEnv` (logging and global state). It is created once, lazily, the first time a model
/// loads, and shared by every session; sessions keep it alive.
final class ORTEnvironment: @unchecked Sendable {
    // Safe: `pointer` never changes after init, and ORT allows one environment to be used by sessions on any thread.
    private let pointer: OpaquePointer
    /// The API table the environment was created with.
    let api: ORTAPI

    /// Creates an environment (`CreateEnv`, warnings and worse are logged to stderr).
    private init(api: ORTAPI) throws(OnnxRuntimeStatus) {
        var env: OpaquePointer?
        try api.check(api.table.pointee.CreateEnv(ORT_LOGGING_LEVEL_WARNING, "ModelRegistry", &env))
        guard let env else { throw .nullResult("CreateEnv") }
        self.pointer = env
        self.api = api
    }

    deinit { api.table.pointee.ReleaseEnv(pointer) }

    /// The shared environment, or why it could not be created. A global `let` is initialised once, thread-safely.
    private static let shared: Result<ORTEnvironment, OnnxRuntimeError> = {
        do throws(OnnxRuntimeError) {
            let api = try ORTAPI.get(model: nil)
            do throws(OnnxRuntimeStatus) {
                return .success(try ORTEnvironment(api: api))
            } catch {
                return .failure(.native(model: nil, operation: "CreateEnv", status: error))
            }
        } catch {
            return .failure(error)
        }
    }()

    /// The shared environment, created on first use.
    /// - Parameter model: The model to name in an error.
    /// - Returns: The environment.
    /// - Throws: ``OnnxRuntimeError/unsupportedLibrary(model:requiredAPI:libraryVersion:)`` when the library is too
    ///   old, ``OnnxRuntimeError/native(model:operation:status:)`` when `CreateEnv` fails.
    static func get(model: String) throws(OnnxRuntimeError) -> ORTEnvironment {
        switch shared {
        case .success(let environment): return environment
        case .failure(let error): throw error.naming(model: model)
        }
    }

    /// Calls `body` with the `OrtEnv*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }
}
