extension ModelRegistry {
    /// Takes a lease on a model, loading it first if needed (lazy loading; concurrent callers share one load).
    ///
    /// A request never fails because the model happens to be unloading: one that arrives while the model unloads
    /// (for an ``unload(_:drainTimeout:)``, keep-alive expiry or eviction), or whose load an unload cancels, waits
    /// for the unload to end and then loads the model again, as a request for an unloaded model does. That wait is
    /// bounded by the model's load timeout and ends when the caller's task is cancelled.
    /// - Parameter name: The public name.
    /// - Returns: The lease; call ``ModelLease/release()`` when done.
    /// - Throws: What ``load(_:timeout:)`` throws; ``RegistryError/unregistered(name:)`` when the model is
    ///   unregistered while the request waits.
    public func get(_ name: String) async throws(RegistryError) -> ModelLease {
        let (id, engine) = try await acquireLease(name)
        return ModelLease(name: name, modelID: id, engine: engine, registry: self)
    }

    /// Takes a lease on the actor: the slow path, for a model not loaded, unloading, or whose leases the actor
    /// must see (see ``LeaseTable``).
    func acquireLease(_ name: String) async throws(RegistryError) -> (ModelID, any InferenceEngine) {
        let started = clock.now
        while true {
            if case .unloading = try entry(name).lifecycle.phase {
                try await waitForUnload(name, since: started)
                continue
            }
            if let leased = try await waitForLoad(name, timeout: nil, leasing: true) { return leased }
            try checkRequestDeadline(name, since: started)
        }
    }

    /// Ends a lease; only the last lease of a model whose fast path is closed reaches the actor.
    func endLease(_ name: String, isolation: isolated (any Actor)? = #isolation) async {
        if leaseTable.release(name) { await leaseEnded(name) }
    }

    /// Waits for the model's unload to end (cancellable, bounded by the load timeout).
    private func waitForUnload(_ name: String, since started: Duration) async throws(RegistryError) {
        let entry = try entry(name)
        let ticket = entry.unloadWaiters.enqueue()
        var timer: Task<Void, Never>?
        if let limit = entry.configuration.loadTimeout ?? options.defaultLoadTimeout {
            let remaining = started + limit - clock.now
            timer = schedule(after: max(remaining, .zero)) { [waiters = entry.unloadWaiters] _ in
                waiters.resume(ticket, with: ())
            }
        }
        defer { timer?.cancel() }
        do { try await entry.unloadWaiters.wait(for: ticket) } catch { throw .loadCancelled(name: name) }
        try checkRequestDeadline(name, since: started)
    }

    /// Throws when a request that waited on unloads has used up the model's load timeout.
    private func checkRequestDeadline(_ name: String, since started: Duration) throws(RegistryError) {
        guard let entry = entries[name] else { throw .unregistered(name: name) }
        if entry.isUnregistering { throw .unregistered(name: name) }
        guard let limit = entry.configuration.loadTimeout ?? options.defaultLoadTimeout else { return }
        if clock.now - started >= limit { throw .loadTimedOut(name: name, after: limit) }
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
        let engine: any InferenceEngine
        if let open = leaseTable.tryLease(name) {
            engine = open  // loaded, and nothing watches its leases: no actor hop
        } else {
            engine = try await acquireLease(name).1
        }
        let result: Swift.Result<Result, any Error>
        do { result = .success(try await body(engine)) } catch { result = .failure(error) }
        if leaseTable.release(name) { await leaseEnded(name) }
        return try result.get()
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

    /// Hears that a model's last lease ended while its fast path was closed: lets a waiting unload proceed, starts
    /// the keep-alive countdown and wakes loads waiting for capacity.
    func leaseEnded(_ name: String) {
        guard let entry = entries[name], leaseTable.figures(name).leases == 0 else { return }
        entry.drainWaiters.resumeAll(with: true)
        scheduleIdleExpiry(name)
        capacityMayHaveChanged()
    }
}
