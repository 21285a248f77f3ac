public import ModelRegistry

// MARK: - InferenceEngine

extension OnnxRuntimeEngine {
    /// Loads the model: checks the configuration, then creates the ONNX Runtime session on the native queue
    /// (`CreateSessionOptions`, `SetIntraOpNumThreads` or `DisablePerSessionThreads` for the shared pool,
    /// `SetSessionGraphOptimizationLevel`, `CreateSession`) and reads the model's inputs, outputs and metadata. The
    /// process-wide ORT environment (`CreateEnvWithCustomLogger`) is created on the first load.
    ///
    /// Cancelling the calling task takes effect once ORT has finished creating the session: the session is then
    /// closed and the load throws ``OnnxRuntimeError/cancelled(model:)``.
    /// - Parameter context: The model's public name and configuration (`path`, `threads`, `parameters`).
    /// - Throws: ``OnnxRuntimeError``: `invalidParameter`, `fileNotFound`, `executionProviderUnavailable`; by what
    ///   ORT reports, `invalidModel` (not an ONNX model), `unsupportedGraph` (an operator, opset or IR version this
    ///   ORT cannot run) or `missingExternalData`, each with ORT's message; `unsupportedLibrary`, `invalidState` when
    ///   a model is loaded or loading, `cancelled`, `native`.
    public func load(_ context: EngineLoadContext) async throws(OnnxRuntimeError) {
        let settings = try LoadSettings(context)
        let clearance = try await Self.preflight(context)  // issue 11: files that can abort ORT load in a child first
        try state.withLock { state throws(OnnxRuntimeError) in
            switch state {
            case .idle, .unloaded: state = .loading(name: settings.name, id: context.modelID)
            case .loading, .loaded:
                throw .invalidState(model: settings.name, operation: "load", state: state.label)
            }
        }
        let opened = await nativeQueue.perform {
            Result { () throws(OnnxRuntimeError) in try Self.open(settings, clearance: clearance) }
        }
        let cancelled = Task.isCancelled
        // A discarded session is handed out of the lock, so ReleaseSession never runs while the lock is held.
        let (discarded, outcome) = state.withLock { state -> (LoadedModel?, Result<Void, OnnxRuntimeError>) in
            guard case .loading(_, let id) = state, id == context.modelID else {
                let error = OnnxRuntimeError.invalidState(
                    model: settings.name, operation: "finish loading", state: "unloaded while loading")
                return (try? opened.get(), .failure(error))
            }
            switch opened {
            case .success(let model) where !cancelled:
                state = .loaded(model)
                return (nil, .success(()))
            case .success(let model):
                state = .idle
                return (model, .failure(.cancelled(model: settings.name)))
            case .failure(let error):
                state = .idle
                return (nil, .failure(error))
            }
        }
        withExtendedLifetime(discarded) {}
        try outcome.get()
    }

    /// Closes the session (`ReleaseSession`) once no run uses it any more; runs already in flight finish first.
    /// After this, `run` throws ``OnnxRuntimeError/notLoaded(model:)``. Unloading an engine that holds no model does
    /// nothing; unloading while a load is in flight makes that load fail.
    public func unload() async {
        let released = state.withLock { state -> LoadedModel? in
            switch state {
            case .idle, .unloaded: return nil
            case .loading(let name, _):
                state = .unloaded(name: name)
                return nil
            case .loaded(let model):
                state = .unloaded(name: model.name)
                return model
            }
        }
        withExtendedLifetime(released) {}
    }

    /// Healthy while a session is open; unknown while loading; unhealthy otherwise.
    /// - Returns: The engine's health.
    public func healthCheck() async -> ModelHealth {
        state.withLock { state in
            switch state {
            case .loaded: .healthy
            case .loading: .unknown
            case .idle: .unhealthy(reason: "no model loaded")
            case .unloaded(let name): .unhealthy(reason: "model \"\(name)\" was unloaded")
            }
        }
    }

    /// An estimate of the loaded model's memory: the size of its `.onnx` file in bytes (the weights ORT keeps).
    /// ONNX Runtime's own arenas and buffers are not counted. `nil` when no model is loaded.
    /// - Returns: The model file's size, or `nil`.
    public func memoryFootprint() async -> Int? {
        state.withLock { if case .loaded(let model) = $0 { model.fileSize } else { nil } }
    }
}
