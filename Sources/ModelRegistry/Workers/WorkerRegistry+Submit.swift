extension WorkerRegistry {
    /// Queues a request for a model's workers and waits for its result, suspending while the queue is full.
    /// - Parameters:
    ///   - name: The public name.
    ///   - operation: The work to run with the engine, under a lease.
    /// - Returns: What `operation` returns.
    /// - Throws: ``RegistryError/noWorkers(name:running:)`` when the model has no workers,
    ///   ``RegistryError/requestCancelledByUnload(name:)`` when it unloads first, `CancellationError` when the
    ///   caller is cancelled, or what `operation` throws.
    public nonisolated func submit<Result: Sendable>(
        to name: String, _ operation: @escaping @Sendable (any InferenceEngine) async throws -> Result
    ) async throws -> Result {
        try await enqueue(name, operation, waitForRoom: true)
    }

    /// Queues a request for a model's workers with the engine as its concrete type, and waits for its result.
    /// - Parameters:
    ///   - name: The public name.
    ///   - type: The engine type expected, e.g. `OnnxRuntimeEngine.self`.
    ///   - operation: The work to run with the engine, under a lease.
    /// - Returns: What `operation` returns.
    /// - Throws: What ``submit(to:_:)`` throws, or ``RegistryError/engineTypeMismatch(name:expected:actual:)``.
    public nonisolated func submit<Engine: InferenceEngine, Result: Sendable>(
        to name: String, as type: Engine.Type, _ operation: @escaping @Sendable (Engine) async throws -> Result
    ) async throws -> Result {
        try await enqueue(name, { engine in try await operation(ModelLease.cast(engine, of: name, to: type)) },
                          waitForRoom: true)
    }

    /// Queues a request without waiting for room: a full queue is an error.
    /// - Parameters:
    ///   - name: The public name.
    ///   - operation: The work to run with the engine, under a lease.
    /// - Returns: What `operation` returns.
    /// - Throws: ``RegistryError/queueFull(name:capacity:)`` when the queue is full, and what
    ///   ``submit(to:_:)`` throws.
    public nonisolated func trySubmit<Result: Sendable>(
        to name: String, _ operation: @escaping @Sendable (any InferenceEngine) async throws -> Result
    ) async throws -> Result {
        try await enqueue(name, operation, waitForRoom: false)
    }

    /// Stops accepting requests for a model, lets its workers run everything already queued, then unloads it.
    /// - Parameters:
    ///   - name: The public name.
    ///   - drainTimeout: Passed to ``ModelRegistry/unload(_:drainTimeout:)``.
    /// - Throws: What ``ModelRegistry/unload(_:drainTimeout:)`` throws.
    public func drainAndUnload(_ name: String, drainTimeout: Duration? = nil) async throws(RegistryError) {
        if let pool = pool(name) {
            pool.close(cancelQueued: false, error: .requestCancelledByUnload(name: name))
            await pool.waitForWorkers()
        }
        try await registry.unload(name, drainTimeout: drainTimeout)
    }

    private nonisolated func enqueue<Result: Sendable>(
        _ name: String, _ operation: @escaping @Sendable (any InferenceEngine) async throws -> Result,
        waitForRoom: Bool
    ) async throws -> Result {
        guard let pool = pool(name) else { throw RegistryError.noWorkers(name: name, running: models) }
        let item = WorkItem { engine in try await operation(engine) }
        do {
            if waitForRoom { try await pool.queue.send(item) } else { try pool.queue.trySend(item) }
        } catch .full {
            throw RegistryError.queueFull(name: name, capacity: pool.queue.capacity)
        } catch .closed {
            throw RegistryError.requestCancelledByUnload(name: name)
        } catch {
            throw CancellationError()
        }
        guard let result = try await item.value() as? Result else {
            preconditionFailure("a work item returned another type than its operation")
        }
        return result
    }
}
