import ModelPreflight
import ModelRegistry

// MARK: - Preflight

extension OnnxRuntimeEngine {
    /// Loads the file in the `model-preflight` child first when it may abort ONNX Runtime: in `auto` mode (the
    /// `preflight` parameter's default) the files with sparse tensors (``OnnxModelScan``) that have no cached
    /// pass; in `always` mode every file. A crash of the child becomes ``OnnxRuntimeError/invalidModel(model:path:status:)``
    /// whose message carries the signal and ORT's last message; other preflight failures (no child program, timeout)
    /// become ``OnnxRuntimeError/native(model:operation:status:)`` with operation `preflight`.
    /// - Throws: ``OnnxRuntimeError`` as above, ``OnnxRuntimeError/cancelled(model:)`` when the task is cancelled.
    static func preflight(_ context: EngineLoadContext) async throws(OnnxRuntimeError) {
        do {
            try await Preflight.check(context) { OnnxModelScan.containsSparseTensors(path: $0) }
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
}
