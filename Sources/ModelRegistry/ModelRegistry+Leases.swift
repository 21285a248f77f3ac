extension ModelRegistry {
    /// Takes a lease on a model, loading it first if needed (lazy loading; concurrent callers share one load).
    /// - Parameter name: The public name.
    /// - Returns: The lease; call ``ModelLease/release()`` when done.
    /// - Throws: What ``load(_:timeout:)`` throws, or ``RegistryError/unloading(name:)`` while the model unloads.
    public func get(_ name: String) async throws(RegistryError) -> ModelLease {
        while true {
            var entry = try entry(name)
            switch entry.phase {
            case .loaded(let id, let engine):
                entry.activeLeases += 1
                entry.useCount += 1
                entry.lastUsedAt = .now
                useTick += 1
                entry.lastUseTick = useTick
                entry.idleTimer?.cancel()
                entry.idleTimer = nil
                entries[name] = entry
                return ModelLease(name: name, modelID: id, engine: engine, registry: self)
            case .unloading:
                throw .unloading(name: name)
            case .loading, .unloaded, .failed:
                if let (id, engine) = try await waitForLoad(name, timeout: nil, leasing: true) {
                    return ModelLease(name: name, modelID: id, engine: engine, registry: self)
                }
            }
        }
    }

    /// Runs `body` with a model's engine under a lease, loading the model first if needed.
    ///
    /// The model is not unloaded while `body` runs; the lease ends when `body` returns or throws.
    /// - Parameters:
    ///   - name: The public name.
    ///   - isolation: The caller's actor, so `body` runs where the caller does.
    ///   - body: The work to do with the engine.
    /// - Returns: What `body` returns.
    /// - Throws: What ``get(_:)`` throws, or what `body` throws.
    public func withModel<Result>(
        _ name: String, isolation: isolated (any Actor)? = #isolation,
        _ body: (any InferenceEngine) async throws -> Result
    ) async throws -> Result {
        let lease = try await get(name)
        do {
            let result = try await body(lease.engine)
            await lease.release()
            return result
        } catch {
            await lease.release()
            throw error
        }
    }

    /// Runs `body` with a model's engine as its concrete type, under a lease.
    /// - Parameters:
    ///   - name: The public name.
    ///   - type: The engine type expected, e.g. `OnnxRuntimeEngine.self`.
    ///   - isolation: The caller's actor, so `body` runs where the caller does.
    ///   - body: The work to do with the engine.
    /// - Returns: What `body` returns.
    /// - Throws: What ``get(_:)`` throws, ``RegistryError/engineTypeMismatch(name:expected:actual:)``, or what
    ///   `body` throws.
    public func withModel<Engine: InferenceEngine, Result>(
        _ name: String, as type: Engine.Type, isolation: isolated (any Actor)? = #isolation,
        _ body: (Engine) async throws -> Result
    ) async throws -> Result {
        try await withModel(name) { engine in try await body(ModelLease.cast(engine, of: name, to: type)) }
    }

    /// Ends one lease; the last one to end lets a waiting unload proceed.
    func releaseLease(_ name: String) {
        guard var entry = entries[name], entry.activeLeases > 0 else { return }
        entry.activeLeases -= 1
        entry.lastUsedAt = .now
        let waiters = entry.activeLeases == 0 ? entry.drainWaiters : [:]
        if entry.activeLeases == 0 { entry.drainWaiters.removeAll() }
        entries[name] = entry
        waiters.values.forEach { $0.resume(returning: true) }
        if entry.activeLeases == 0 {
            scheduleIdleExpiry(name)
            capacityMayHaveChanged()
        }
    }
}
