import ModelPreflight
package import ModelRegistry

// MARK: - Preflight

extension OnnxRuntimeEngine {
    /// Loads the file in the `model-preflight` child first when it may abort ONNX Runtime: in `auto` mode (the
    /// `preflight` parameter's default) the files with sparse tensors (``OnnxModelScan``) that have no cached
    /// pass; in `always` mode every file. A crash of the child becomes ``OnnxRuntimeError/invalidModel(model:path:status:)``
    /// whose message carries the signal and ORT's last message; other preflight failures (no child program, timeout)
    /// become ``OnnxRuntimeError/native(model:operation:status:)`` with operation `preflight`.
    /// - Returns: What ``confirm(_:model:path:)`` checks just before the session is created (a refusal by the child's
    ///   ORT is thrown there, after the engine's own checks); `nil` when nothing was checked.
    /// - Throws: ``OnnxRuntimeError`` as above, ``OnnxRuntimeError/cancelled(model:)`` when the task is cancelled.
    static func preflight(_ context: EngineLoadContext) async throws(OnnxRuntimeError) -> PreflightClearance? {
        do {
            return try await Preflight.check(context) { OnnxModelScan.containsSparseTensors(path: $0) }
        } catch let error as PreflightError {
            throw engineError(error, model: context.name, path: context.configuration.path)
        } catch {
            throw .cancelled(model: context.name)
        }
    }

    /// The configuration the `model-preflight` child loads `configuration` with: the same, without the thread-pool
    /// choice. Pools belong to the host process (a shared pool is configured in the host's code, which the child does
    /// not run) and do not change how ORT reads the file; a child without the host's shared pool would refuse
    /// `threadPool: shared` before it opened the file, and the host, told the file was refused with an error, would
    /// then open a file nobody had checked.
    /// - Parameter configuration: The host's configuration of the model.
    /// - Returns: The configuration for the child.
    package static func preflightChildConfiguration(_ configuration: ModelConfiguration) -> ModelConfiguration {
        var child = configuration
        child.parameters.removeValue(forKey: LoadSettings.threadPoolParameter)
        return child
    }

    /// Checks, just before ORT opens the file, that the path still leads to the file the preflight checked and that
    /// the child's ORT did not refuse it.
    /// - Throws: When the child's ORT refused the file, the error ORT's status gives in-process
    ///   (``OnnxRuntimeError/invalidModel(model:path:status:)``, ``OnnxRuntimeError/unsupportedGraph(model:path:status:)``,
    ///   …), rebuilt from the status the child reported; otherwise ``OnnxRuntimeError/native(model:operation:status:)``
    ///   with operation `preflight` when the file changed or the child refused it for another reason.
    static func confirm(_ clearance: PreflightClearance?, model: String, path: String) throws(OnnxRuntimeError) {
        do {
            try clearance?.confirm()
        } catch {
            if case .childRefused = error, let native = clearance?.refusal?.nativeStatus {
                let status = OnnxRuntimeStatus(code: .init(rawValue: native.code), message: native.message)
                throw .loadFailure(model: model, path: path, status: status)
            }
            throw engineError(error, model: model, path: path)
        }
    }

    /// The engine's error for a preflight failure: a crash of the child is an invalid model, the rest native
    /// failures of the `preflight` operation; the message is the preflight's.
    private static func engineError(_ error: PreflightError, model: String, path: String) -> OnnxRuntimeError {
        let status = OnnxRuntimeStatus(code: .fail, message: error.description)
        if case .childCrashed = error { return .invalidModel(model: model, path: path, status: status) }
        return .native(model: model, operation: "preflight", status: status)
    }
}
