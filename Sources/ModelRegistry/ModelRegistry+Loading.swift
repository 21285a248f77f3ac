import Foundation

extension ModelRegistry {
    /// Loads a model, or joins the load already under way, and waits until it is loaded.
    ///
    /// A model that is unloading is loaded again once its unload ends; a failed model is retried.
    /// - Parameters:
    ///   - name: The public name.
    ///   - timeout: The longest the load may take; `nil` uses the model's `loadTimeout`, then the registry's.
    /// - Returns: The model's record once loaded.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``,
    ///   ``RegistryError/engineNotRegistered(model:pair:registered:)``, ``RegistryError/loadFailed(name:underlying:)``,
    ///   ``RegistryError/loadTimedOut(name:after:)``, ``RegistryError/loadCancelled(name:)``,
    ///   ``RegistryError/insufficientCapacity(name:needed:reason:holders:)``, or
    ///   ``RegistryError/retryCooldown(name:retryIn:failures:lastError:)`` while a failed model backs off.
    @discardableResult
    public func load(_ name: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        while true {
            let entry = try entry(name)
            switch entry.phase {
            case .loaded: return entry.record(name: name)
            case .unloading(_, _, let done): _ = await done.value
            case .loading, .unloaded, .failed: _ = try await waitForLoad(name, timeout: timeout, leasing: false)
            }
        }
    }

    /// Loads a failed model now, skipping its retry back-off (see ``RegistryOptions/retryBackoff``).
    /// - Parameters:
    ///   - name: The public name.
    ///   - timeout: The longest the load may take.
    /// - Returns: The model's record once loaded.
    /// - Throws: What ``load(_:timeout:)`` throws.
    @discardableResult
    public func retry(_ name: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        _ = try entry(name)
        entries[name]?.retryNotBefore = nil
        return try await load(name, timeout: timeout)
    }

    /// Cancels a running load. Its waiters get ``RegistryError/loadCancelled(name:)`` and the model ends `failed`;
    /// an engine that finishes loading after this is unloaded at once.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func cancelLoad(_ name: String) throws(RegistryError) {
        guard case .loading(let attempt) = try entry(name).phase else { return }
        attempt.work?.cancel()
        _ = finishLoad(name, id: attempt.id, result: .failure(.loadCancelled(name: name)))
    }

    /// Starts a load when none is running (or the model is loaded), then waits for it to settle.
    /// - Returns: The load's id and engine when this call waited for a load (with a lease taken when `leasing`);
    ///   `nil` when the model was already loaded or unloading, so the caller should look again.
    func waitForLoad(
        _ name: String, timeout: Duration?, leasing: Bool
    ) async throws(RegistryError) -> (ModelID, any InferenceEngine)? {
        var entry = try entry(name)
        switch entry.phase {
        case .loaded, .unloading: return nil
        case .unloaded: try startLoad(name, timeout: timeout)
        case .failed(_, let error):
            if let notBefore = entry.retryNotBefore, clock.now < notBefore {
                throw .retryCooldown(
                    name: name, retryIn: notBefore - clock.now, failures: entry.consecutiveFailures,
                    lastError: "\(error)")
            }
            try startLoad(name, timeout: timeout)
        case .loading: break
        }
        entry = try self.entry(name)
        guard case .loading(let attempt) = entry.phase else { return nil }
        return (attempt.id, try await join(name, id: attempt.id, leasing: leasing))
    }

    /// Waits for the load with this id to finish; a cancelled caller stops waiting but the load goes on.
    private func join(_ name: String, id: ModelID, leasing: Bool) async throws(RegistryError) -> any InferenceEngine {
        let waiterID = makeWaiterID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: LoadContinuation) in
                    guard !Task.isCancelled, case .loading(var attempt) = entries[name]?.phase, attempt.id == id else {
                        continuation.resume(throwing: RegistryError.loadCancelled(name: name))
                        return
                    }
                    attempt.waiters[waiterID] = ModelEntry.LoadWaiter(continuation: continuation, leasing: leasing)
                    entries[name]?.phase = .loading(attempt)
                }
            } onCancel: {
                Task { await self.dropLoadWaiter(name, id: id, waiterID: waiterID) }
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .loadCancelled(name: name)
        }
    }

    private func dropLoadWaiter(_ name: String, id: ModelID, waiterID: UInt64) {
        guard case .loading(var attempt) = entries[name]?.phase, attempt.id == id,
            let waiter = attempt.waiters.removeValue(forKey: waiterID)
        else { return }
        entries[name]?.phase = .loading(attempt)
        waiter.continuation.resume(throwing: RegistryError.loadCancelled(name: name))
    }

    /// Creates the engine, moves the record to `loading` and starts the load and its timeout in the background.
    private func startLoad(_ name: String, timeout: Duration?) throws(RegistryError) {
        var entry = try entry(name)
        let configuration = entry.configuration
        let engine: any InferenceEngine
        do {
            engine = try factory.makeEngine(for: configuration)
        } catch {
            entry.phase = .failed(id: nil, error: error)
            entry.failureCount += 1
            entries[name] = entry
            publish(.loadFailed(error), for: name)
            throw error
        }
        let id = ModelID()
        var attempt = ModelEntry.LoadAttempt(id: id, engine: engine, startedAt: .now)
        let context = EngineLoadContext(modelID: id, configuration: configuration)
        attempt.work = Task {
            let result = await self.performLoad(name, id: id, engine: engine, context: context)
            if !self.finishLoad(name, id: id, result: result), case .success = result {
                await engine.unload()  // the load was cancelled or timed out meanwhile: free what it holds
            }
        }
        if let limit = timeout ?? configuration.loadTimeout ?? options.defaultLoadTimeout {
            attempt.timer = schedule(after: limit) { [work = attempt.work] registry in
                work?.cancel()
                _ = registry.finishLoad(name, id: id, result: .failure(.loadTimedOut(name: name, after: limit)))
            }
        }
        entry.phase = .loading(attempt)
        entries[name] = entry
        publish(.loadStarted, for: name)
    }

    /// Waits for admission (load slot, capacity), then runs the engine's load; returns the bytes it reports.
    private func performLoad(
        _ name: String, id: ModelID, engine: any InferenceEngine, context: EngineLoadContext
    ) async -> Result<Int?, RegistryError> {
        do {
            try await admit(name, id: id)
        } catch let error as RegistryError {
            return .failure(error)
        } catch {
            return .failure(.loadCancelled(name: name))
        }
        defer { releaseLoadSlot() }
        do {
            try await engine.load(context)
            return .success(await engine.memoryFootprint())
        } catch {
            return .failure(.loadFailed(name: name, underlying: error))
        }
    }

    /// Settles the load with this id; returns `false` when the load was already settled (cancelled or timed out).
    func finishLoad(_ name: String, id: ModelID, result: Result<Int?, RegistryError>) -> Bool {
        guard var entry = entries[name], case .loading(let attempt) = entry.phase, attempt.id == id else {
            return false
        }
        attempt.timer?.cancel()
        switch result {
        case .success(let reportedBytes):
            entry.phase = .loaded(id: id, engine: attempt.engine)
            entry.loadedAt = Date()
            entry.loadDuration = attempt.startedAt.duration(to: .now)
            entry.loadCount += 1
            entry.memoryBytes = reportedBytes ?? attempt.reservedBytes
            entry.consecutiveFailures = 0
            entry.retryNotBefore = nil
            useTick += 1
            entry.lastUseTick = useTick
            let leases = attempt.waiters.values.filter(\.leasing).count
            entry.activeLeases += leases
            entry.useCount += leases
            if leases > 0 { entry.lastUsedAt = .now }
            entries[name] = entry
            publish(.loaded(duration: entry.loadDuration ?? .zero), for: name)
            attempt.waiters.values.forEach { $0.continuation.resume(returning: attempt.engine) }
            scheduleIdleExpiry(name)
        case .failure(let error):
            attempt.work?.cancel()
            entry.phase = .failed(id: id, error: error)
            entry.failureCount += 1
            entry.consecutiveFailures += 1
            if case .loadCancelled = error {} else {
                let delay = options.retryBackoff.delay(afterFailures: entry.consecutiveFailures)
                entry.retryNotBefore = clock.now + delay
            }
            entries[name] = entry
            publish(.loadFailed(error), for: name)
            attempt.waiters.values.forEach { $0.continuation.resume(throwing: error) }
            capacityMayHaveChanged()
        }
        return true
    }
}

typealias LoadContinuation = CheckedContinuation<any InferenceEngine, any Error>
