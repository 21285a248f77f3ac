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
    ///   ``RegistryError/loadTimedOut(name:after:)`` or ``RegistryError/loadCancelled(name:)``.
    @discardableResult
    public func load(_ name: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        while true {
            let entry = try entry(name)
            switch entry.phase {
            case .loaded: return entry.record(name: name)
            case .unloading(_, _, let done): _ = await done.value
            case .loading, .unloaded, .failed: try await waitForLoad(name, timeout: timeout)
            }
        }
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
    func waitForLoad(_ name: String, timeout: Duration?) async throws(RegistryError) {
        var entry = try entry(name)
        switch entry.phase {
        case .loaded, .unloading: return
        case .unloaded, .failed: try startLoad(name, timeout: timeout)
        case .loading: break
        }
        entry = try self.entry(name)
        guard case .loading(let attempt) = entry.phase else { return }
        try await join(name, id: attempt.id)
    }

    /// Waits for the load with this id to finish; a cancelled caller stops waiting but the load goes on.
    private func join(_ name: String, id: ModelID) async throws(RegistryError) {
        let waiterID = makeWaiterID()
        do {
            _ = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: LoadContinuation) in
                    guard !Task.isCancelled, case .loading(var attempt) = entries[name]?.phase, attempt.id == id else {
                        continuation.resume(throwing: RegistryError.loadCancelled(name: name))
                        return
                    }
                    attempt.waiters[waiterID] = continuation
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
        waiter.resume(throwing: RegistryError.loadCancelled(name: name))
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
            let result: Result<Void, RegistryError>
            do {
                try await engine.load(context)
                result = .success(())
            } catch {
                result = .failure(.loadFailed(name: name, underlying: error))
            }
            if !self.finishLoad(name, id: id, result: result), case .success = result {
                await engine.unload()  // the load was cancelled or timed out meanwhile: free what it holds
            }
        }
        if let limit = timeout ?? configuration.loadTimeout ?? options.defaultLoadTimeout {
            attempt.timer = Task { [clock] in
                guard (try? await sleep(on: clock, for: limit)) != nil else { return }
                attempt.work?.cancel()
                _ = self.finishLoad(name, id: id, result: .failure(.loadTimedOut(name: name, after: limit)))
            }
        }
        entry.phase = .loading(attempt)
        entries[name] = entry
        publish(.loadStarted, for: name)
    }

    /// Settles the load with this id; returns `false` when the load was already settled (cancelled or timed out).
    func finishLoad(_ name: String, id: ModelID, result: Result<Void, RegistryError>) -> Bool {
        guard var entry = entries[name], case .loading(let attempt) = entry.phase, attempt.id == id else {
            return false
        }
        attempt.timer?.cancel()
        switch result {
        case .success:
            entry.phase = .loaded(id: id, engine: attempt.engine)
            entry.loadedAt = Date()
            entry.loadDuration = attempt.startedAt.duration(to: .now)
            entry.loadCount += 1
            entries[name] = entry
            publish(.loaded(duration: entry.loadDuration ?? .zero), for: name)
            attempt.waiters.values.forEach { $0.resume(returning: attempt.engine) }
        case .failure(let error):
            attempt.work?.cancel()
            entry.phase = .failed(id: id, error: error)
            entry.failureCount += 1
            entries[name] = entry
            publish(.loadFailed(error), for: name)
            attempt.waiters.values.forEach { $0.resume(throwing: error) }
        }
        return true
    }
}

typealias LoadContinuation = CheckedContinuation<any InferenceEngine, any Error>

/// Sleeps on any clock (opens the existential so `Clock.sleep(for:)` can be called).
func sleep<C: Clock<Duration>>(on clock: C, for duration: Duration) async throws {
    try await clock.sleep(for: duration)
}
