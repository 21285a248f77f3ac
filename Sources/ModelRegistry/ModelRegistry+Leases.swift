extension ModelRegistry {
    /// Takes a lease on a model, loading it first if needed (lazy loading; concurrent callers share one load).
    /// Leasing a loaded model, and releasing that lease, take no actor hop unless the registry must hear of the lease
    /// (a keep-alive of `0`, a load waiting for capacity).
    ///
    /// A request never fails because the model happens to be unloading: one that arrives while the model unloads
    /// (for an ``unload(_:drainTimeout:)``, keep-alive expiry or eviction), or whose load an unload cancels, waits
    /// for the unload to end and then loads the model again, as a request for an unloaded model does. That wait is
    /// bounded by the model's load timeout and ends when the caller's task is cancelled.
    /// - Parameter name: The public name.
    /// - Returns: The lease; call ``ModelLease/release()`` when done.
    /// - Throws: What ``load(_:timeout:)`` throws; ``RegistryError/unregistered(name:)`` when the model is
    ///   unregistered while the request waits.
    public nonisolated func get(_ name: String) async throws(RegistryError) -> ModelLease {
        // loaded, with its fast path open (see LeaseTable): no actor hop, for the lease or for its release
        if let fast = leaseTable.tryLease(name) {
            return ModelLease(name: name, modelID: fast.id, engine: fast.engine, registry: self)
        }
        let (resolved, id, engine) = try await acquireLease(name)
        return ModelLease(name: resolved, modelID: id, engine: engine, registry: self)
    }

    /// Takes a lease on the actor: the slow path, for a model not loaded, unloading, or whose leases the actor
    /// must see (see ``LeaseTable``), or a name that names a version (`iris@1.2.0`, see ``resolve(_:)``).
    /// - Returns: The registered model's name, the load's id and its engine.
    func acquireLease(_ requested: String) async throws(RegistryError) -> (String, ModelID, any InferenceEngine) {
        actorLeaseRequests += 1
        let name = try resolve(requested)
        let started = clock.now
        while true {
            if case .unloading = try entry(name).lifecycle.phase {
                try await waitForUnload(name, since: started)
                continue
            }
            if let (id, engine) = try await waitForLoad(name, timeout: nil, leasing: true) { return (name, id, engine) }
            try checkRequestDeadline(name, since: started)
        }
    }

    /// Ends a lease taken on load `id`; only the last lease of a model whose fast path is closed, or of a retired
    /// version, reaches the actor.
    func endLease(_ name: String, id: ModelID, isolation: isolated (any Actor)? = #isolation) async {
        let outcome = leaseTable.release(name, id: id)
        if outcome != .quiet { await leaseEnded(name, outcome) }
    }

    /// Waits for the model's unload to end (cancellable, bounded by `timeout`, else the model's load timeout).
    /// - Throws: ``RegistryError/loadCancelled(name:)`` when the caller is cancelled;
    ///   ``RegistryError/loadTimedOut(name:after:)`` once the request has waited its whole timeout;
    ///   ``RegistryError/unregistered(name:)``.
    func waitForUnload(
        _ name: String, since started: Duration, timeout: Duration? = nil
    ) async throws(RegistryError) {
        let entry = try entry(name)
        let ticket = entry.unloadWaiters.enqueue()
        var timer: Task<Void, Never>?
        if let limit = timeout ?? entry.configuration.loadTimeout ?? options.defaultLoadTimeout {
            let remaining = started + limit - clock.now
            timer = schedule(after: max(remaining, .zero)) { [waiters = entry.unloadWaiters] _ in
                waiters.resume(ticket, with: ())
            }
        }
        defer { timer?.cancel() }
        do { try await entry.unloadWaiters.wait(for: ticket) } catch { throw .loadCancelled(name: name) }
        try checkRequestDeadline(name, since: started, timeout: timeout)
    }

    /// Throws when a request that waited on unloads has used up its timeout (else the model's load timeout).
    private func checkRequestDeadline(
        _ name: String, since started: Duration, timeout: Duration? = nil
    ) throws(RegistryError) {
        guard let entry = entries[name] else { throw .unregistered(name: name) }
        if entry.isUnregistering { throw .unregistered(name: name) }
        guard let limit = timeout ?? entry.configuration.loadTimeout ?? options.defaultLoadTimeout else { return }
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
        // loaded, with its fast path open (see LeaseTable): no actor hop, and the lease ends without a lookup by name
        guard let fast = leaseTable.tryLease(name) else { return try await withLeaseFromActor(name, body) }
        // Not a `Swift.Result`: in this unspecialized generic function its metadata would be looked up on every
        // call, which cost as much as the rest of a fast lease. And the lease ends here rather than in a helper:
        // each async call costs an executor check (`swift_task_switch`), a tenth of a fast `withModel`.
        let result: Result
        do {
            result = try await body(fast.engine)
        } catch {
            let outcome = leaseTable.release(fast)
            if outcome != .quiet { await leaseEnded(name, outcome) }
            throw error
        }
        let outcome = leaseTable.release(fast)
        if outcome != .quiet { await leaseEnded(name, outcome) }
        return result
    }

    /// `withModel` with a lease taken on the actor (the slow path, see ``acquireLease(_:)``).
    private func withLeaseFromActor<Result>(
        _ name: String, isolation: isolated (any Actor)? = #isolation,
        _ body: (any InferenceEngine) async throws -> Result
    ) async throws -> Result {
        let (leased, id, engine) = try await acquireLease(name)
        let result: Result
        do {
            result = try await body(engine)
        } catch {
            await endLease(leased, id: id)
            throw error
        }
        await endLease(leased, id: id)
        return result
    }

    /// Runs `body` with one catalog version of a model (`withModel("iris", version: "1.2.0")`), under a lease:
    /// the same as `withModel("iris@1.2.0")`. `version` is a version number or a policy (`production`,
    /// `latest`, `staging`); the model must have come from a catalog (``useVersion(of:_:from:as:configure:)``).
    /// A version the model does not serve now is registered and loaded as `iris@1.2.0` beside it.
    /// - Parameters:
    ///   - name: The public name.
    ///   - version: The version number or policy.
    ///   - isolation: The caller's actor, so `body` runs where the caller does.
    ///   - body: The work to do with the engine.
    /// - Returns: What `body` returns.
    /// - Throws: What ``get(_:)`` throws, ``RegistryError/versionNotFound(name:version:available:)`` and other
    ///   catalog errors, or what `body` throws.
    public func withModel<Result>(
        _ name: String, version: String, isolation: isolated (any Actor)? = #isolation,
        _ body: (any InferenceEngine) async throws -> Result
    ) async throws -> Result {
        try await withModel("\(name)@\(version)", body)
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

    /// Hears that a model's last lease ended while its fast path was closed, or that a retired version's last
    /// lease ended: unloads that version, lets a waiting unload proceed, starts the keep-alive countdown and wakes
    /// loads waiting for capacity.
    func leaseEnded(_ name: String, _ outcome: LeaseTable.Release) {
        if case .retiredDrained(let id) = outcome { retireDrained(name, id: id) }
        guard let entry = entries[name], leaseTable.figures(name).leases == 0 else { return }
        entry.drainWaiters.resumeAll(with: true)
        scheduleIdleExpiry(name)
        capacityMayHaveChanged()
    }
}

// MARK: - The lease fast path and the keep-alive countdown that follows the last lease

extension ModelRegistry {
    /// Starts the model's keep-alive countdown if it is loaded and has an idle keep-alive.
    ///
    /// With its fast path open the countdown runs from the end of the last lease (``LeaseTable/Figures/idleSince``),
    /// or for the whole keep-alive while leases are held (none can end sooner), and leases do not cancel it: it
    /// checks again when due. With the fast path closed (a keep-alive of `0`, a load waiting for capacity) it starts
    /// only once the last lease has ended, which the actor then hears of, and a lease beginning cancels it.
    func scheduleIdleExpiry(_ name: String) {
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded else { return }
        let keepAlive = keepAlive(of: entry)
        let figures = leaseTable.figures(name)
        var timer: Task<Void, Never>?
        if case .idle(let idle) = keepAlive, figures.leases == 0 || figures.idleSince != nil {
            var due = idle
            if let since = figures.idleSince, figures.leases == 0 { due = max(since + idle - clock.now, .zero) }
            let tick = figures.lastUseTick
            timer = schedule(after: due) { registry in
                await registry.expireIdle(name, id: loaded.id, tick: tick, keepAlive: keepAlive)
            }
        }
        entries[name]?.lifecycle.setIdleTimer(timer, load: loaded.id)?.cancel()
    }

    /// Starts the model's keep-alive countdown unless one runs already (``refreshFastPath(_:)`` arms one when it
    /// opens the fast path): arming another would start a task only to cancel it.
    func armIdleExpiryIfNone(_ name: String) {
        if entries[name]?.lifecycle.loaded?.idleTimer == nil { scheduleIdleExpiry(name) }
    }

    /// Unloads the model if it is still the same load and has been idle for its whole keep-alive: watched on the
    /// fast path, no lease held and none ended within it; otherwise, unused since the countdown began. A model used
    /// meanwhile gets its fast path back and a countdown from its last use.
    private func expireIdle(_ name: String, id: ModelID, tick: UInt64, keepAlive: KeepAlive) async {
        guard entries[name]?.lifecycle.loaded?.id == id, case .idle(let idle) = keepAlive else { return }
        let figures = leaseTable.closeForExpiry(name)  // from here every lease goes through this actor
        let idleLongEnough = figures.idleSince.map { clock.now - $0 >= idle } ?? (figures.lastUseTick == tick)
        if figures.leases == 0 && idleLongEnough {
            await evict(name, reason: "idle for its keep-alive of \(keepAlive)")
            return
        }
        refreshFastPath(name)
        scheduleIdleExpiry(name)
    }

    /// Opens the model's lease fast path when it is loaded and nothing needs to hear of each lease (no load waiting
    /// for capacity, a keep-alive other than `0`); closes it otherwise. With an idle keep-alive the table watches
    /// lease ends for the countdown, and the countdown is armed if none runs: lease ends on an open fast path reach
    /// no one, so a countdown a lease cancelled while the path was closed (during a capacity wait) would never
    /// start again.
    func refreshFastPath(_ name: String) {
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded, capacityWaiters.isEmpty,
            !entry.isUnregistering, case let keepAlive = keepAlive(of: entry), keepAlive != .idle(.zero)
        else {
            leaseTable.close(name)
            return
        }
        let watchesIdle = keepAlive != .forever
        leaseTable.open(name, id: loaded.id, engine: loaded.engine, watchingIdleOn: watchesIdle ? clock : nil)
        if watchesIdle && loaded.idleTimer == nil { scheduleIdleExpiry(name) }
    }

    /// The model's own keep-alive, else the registry's default.
    private func keepAlive(of entry: ModelEntry) -> KeepAlive {
        entry.configuration.keepAlive ?? options.defaultKeepAlive
    }

    /// ``refreshFastPath(_:)`` for every model, once no load waits for capacity any more.
    func refreshFastPaths() {
        guard capacityWaiters.isEmpty else { return }
        for name in entries.keys { refreshFastPath(name) }
    }
}
