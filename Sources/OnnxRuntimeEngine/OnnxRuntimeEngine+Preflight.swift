import ModelPreflight
import ModelRegistry

// MARK: - Preflight

extension OnnxRuntimeEngine {
    /// Loads the file in the `model-preflight` child first when it may abort ONNX Runtime: in `auto` mode (the
    /// `preflight` parameter's default) the files with sparse tensors (``OnnxModelScan``) that have no cached
    /// pass; in `always` mode every file. A crash of the child becomes ``OnnxRuntimeError/invalidModel(model:path:status:)``
    /// whose message carries the signal and ORT's last message; other preflight failures (no child program, timeout)
    /// become ``OnnxRuntimeError/native(model:operation:status:)`` with operation `preflight`.
    /// - Returns: What ``confirm(_:model:)`` checks just before the session is created; `nil` when nothing was checked.
    /// - Throws: ``OnnxRuntimeError`` as above, ``OnnxRuntimeError/cancelled(model:)`` when the task is cancelled.
    static func preflight(_ context: EngineLoadContext) async throws(OnnxRuntimeError) -> PreflightClearance? {
        do {
            return try await Preflight.check(context) { OnnxModelScan.containsSparseTensors(path: $0) }
        } catch let error as PreflightError {
            let status = OnnxRuntimeStatus(code: .fail, message: error.description)
            if case .childCrashed = error {
                throw .invalidModel(model: context.name, path: context.configuration.path, status: status)
            }
            throw .native(model: context.name, operation: "preflight", status: status)
        } catch {
            throw .cancelled(model: context.name)
        }
    }

    /// Checks, just before ORT opens the file, that the path still leads to the file the preflight checked.
    /// - Throws: ``OnnxRuntimeError/native(model:operation:status:)`` with operation `preflight` when it changed.
    static func confirm(_ clearance: PreflightClearance?, model: String) throws(OnnxRuntimeError) {
        do {
            try clearance?.confirm()
        } catch {
            let status = OnnxRuntimeStatus(code: .fail, message: error.description)
            throw .native(model: model, operation: "preflight", status: status)
        }
    }
}
