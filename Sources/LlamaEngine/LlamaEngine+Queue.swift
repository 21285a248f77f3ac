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
}

// MARK: - Prompt cache

extension LlamaEngine {
    /// Forgets the prompt cache: the KV cells every idle sequence kept from its last request. Running requests are
    /// not affected. Runs on the engine's queue between scheduling steps.
    /// - Throws: ``LlamaError/notLoaded(model:)`` or `CancellationError`.
    public func clearPromptCache() async throws {
        try await withSession { $0.scheduler?.clearFreeSlots() }
    }

    /// Returns once no generation runs or waits: every stream has ended and every sequence slot is free. Use it
    /// to let the model's requests finish before an unload (which would end them as ``StopReason/cancelled``).
    /// Returns at once when the engine is idle, holds an embedding model or is not loaded.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func waitUntilIdle() async throws {
        guard let session = try? currentSession(), let scheduler = session.scheduler else { return }
        try await scheduler.waitUntilIdle()
    }

    /// Each sequence slot's state (busy, cached tokens, last KV position), for tests and diagnostics.
    func sequenceStates() async throws -> [LlamaScheduler.SlotState] {
        try await withSession { $0.scheduler?.slotStates() ?? [] }
    }
}
