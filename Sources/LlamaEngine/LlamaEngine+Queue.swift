// MARK: - Running work on the engine's queue

extension LlamaEngine {
    /// The loaded session.
    /// - Throws: ``LlamaError/notLoaded(model:)`` when there is none.
    func currentSession() throws -> LlamaSession {
        try phase.withLock { phase in
            switch phase {
            case .loaded(let session): return session
            case .loading(let name), .unloaded(let name): throw LlamaError.notLoaded(model: name)
            case .empty: throw LlamaError.notLoaded(model: "(none)")
            }
        }
    }

    /// Runs `work` with the loaded session on the engine's queue.
    /// - Throws: ``LlamaError/notLoaded(model:)`` when no model is loaded (or it is unloaded before `work` starts),
    ///   `CancellationError` when the task is cancelled before `work` starts, or what `work` throws.
    func withSession<T: Sendable>(_ work: @escaping @Sendable (LlamaSession) throws -> T) async throws -> T {
        let session = try currentSession()
        return try await onQueue {
            guard !session.isClosed else { throw LlamaError.notLoaded(model: session.info.name) }
            return try work(session)
        }
    }

    /// Runs `work` on the engine's serial queue and waits for it without blocking a cooperative thread.
    ///
    /// Cancellation is checked when `work` would start: a task cancelled while its work waits in the queue gets
    /// `CancellationError` and the work is skipped. Work that has started runs to completion (each step is short,
    /// and generation polls its own flag).
    /// - Throws: `CancellationError`, or what `work` throws.
    func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let cancelled = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    guard !cancelled.isSet else { return continuation.resume(throwing: CancellationError()) }
                    continuation.resume(with: Result { try work() })
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// How the latest generation went, read on the queue (so after that generation has finished).
    /// For tests and diagnostics.
    func lastGeneration() async throws -> GenerationTrace? {
        try await withSession { $0.lastGeneration }
    }
}
