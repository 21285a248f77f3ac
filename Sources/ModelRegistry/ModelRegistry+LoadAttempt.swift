import Foundation

extension ModelRegistry {
    /// Creates the engine, moves the record to `loading` and starts the load and its timeout in the background.
    func startLoad(_ name: String, timeout: Duration?) throws(RegistryError) {
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
        if !needsDownload(name) { publish(.loadStarted, for: name) }  // remote models announce it once downloaded
    }

    /// Downloads a remote model's file, waits for admission (load slot, capacity), then runs the engine's load;
    /// returns the bytes the engine reports.
    private func performLoad(
        _ name: String, id: ModelID, engine: any InferenceEngine, context requested: EngineLoadContext
    ) async -> Result<Int?, RegistryError> {
        let context: EngineLoadContext
        do {
            let local = try await fetchModelFile(name, id: id, configuration: requested.configuration)
            context = EngineLoadContext(modelID: id, configuration: local)
            try await admit(name, id: id, configuration: local)
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
    /// When `byUnload`, leasing waiters are not failed but told to look again (see ``LoadInterruptedByUnload``).
    func finishLoad(
        _ name: String, id: ModelID, result: Result<Int?, RegistryError>, byUnload: Bool = false
    ) -> Bool {
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
            let leases = attempt.waiters.values.count(where: \.leasing)
            if leases > 0 { leaseTable.lease(name, count: leases) } else { leaseTable.touch(name) }
            entries[name] = entry
            refreshFastPath(name)
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
            for waiter in attempt.waiters.values {
                if byUnload && waiter.leasing {
                    waiter.continuation.resume(throwing: LoadInterruptedByUnload())
                } else {
                    waiter.continuation.resume(throwing: error)
                }
            }
            capacityMayHaveChanged()
        }
        return true
    }
}
