extension ModelRegistry {
    /// Unloads a model: stops handing out leases, waits for the held ones to end, then unloads the engine.
    ///
    /// A loading model has its load cancelled; a failed model is reset to unloaded; an unloaded one is left as is.
    /// Concurrent unloads of one model share the same unload.
    /// - Parameters:
    ///   - name: The public name.
    ///   - drainTimeout: How long to wait for leases to end; `nil` uses ``RegistryOptions/unloadDrainTimeout``.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``, or ``RegistryError/leasesStillHeld(name:count:waited:)``
    ///   when leases outlast the deadline (the model then stays loaded and ``RegistryEvent/Kind/unloadAborted(_:)``
    ///   is published).
    public func unload(_ name: String, drainTimeout: Duration? = nil) async throws(RegistryError) {
        _ = try entry(name)
        if let incoming = entries[name]!.lifecycle.swapCancelled() { cancelSwap(name, incoming) }
        // a load that `unregister` cancels fails its waiters with `unregistered`: the model will not load again
        let cancellation: RegistryError =
            entries[name]!.isUnregistering ? .unregistered(name: name) : .loadCancelled(name: name)
        switch entries[name]!.lifecycle.unloadRequested(cancellation: cancellation) {
        case .none:
            return
        case .cancelledLoad(let settled, let error):
            loadEnded(name, settled, error: error, byUnload: true)
        case .join(let done):
            try await done.value.get()
        case .startUnload(let id, let engine, let idleTimer):
            idleTimer?.cancel()
            leaseTable.close(name)  // every lease from now on goes through the actor, which sees the unloading phase
            let deadline = drainTimeout ?? options.unloadDrainTimeout
            let done = Task { await self.finishUnload(name, id: id, engine: engine, deadline: deadline) }
            entries[name]?.lifecycle.unloadStarted(done)
            publish(.unloadStarted, for: name)
            try await done.value.get()
        }
    }

    /// Unloads every model that is loaded or loading, in parallel.
    /// - Parameter drainTimeout: How long each unload waits for leases to end.
    /// - Throws: The first error an unload throws, after every unload has settled.
    public func unloadAll(drainTimeout: Duration? = nil) async throws(RegistryError) {
        let names = entries.filter { if case .unloaded = $0.value.lifecycle.phase { false } else { true } }.keys
        let results = await withTaskGroup(of: RegistryError?.self) { group in
            for name in names {
                group.addTask {
                    do throws(RegistryError) { try await self.unload(name, drainTimeout: drainTimeout) } catch {
                        return error
                    }
                    return nil
                }
            }
            var errors: [RegistryError] = []
            for await case let error? in group { errors.append(error) }
            return errors
        }
        if let first = results.first { throw first }
    }

    private func finishUnload(
        _ name: String, id: ModelID, engine: any InferenceEngine, deadline: Duration
    ) async -> Result<Void, RegistryError> {
        guard await waitForLeasesToEnd(name, deadline: deadline) else {
            let error = RegistryError.leasesStillHeld(name: name, count: leaseTable.figures(name).leases, waited: deadline)
            entries[name]?.lifecycle.unloadFinished(drained: false)
            // an unregister giving up keeps the model: the requests resumed below must find it registered again
            entries[name]?.isUnregistering = false
            refreshFastPath(name)
            publish(.unloadAborted(error), for: name)
            armIdleExpiryIfNone(name)
            entries[name]?.unloadWaiters.resumeAll(with: ())
            return .failure(error)
        }
        await engine.unload()
        entries[name]?.lifecycle.unloadFinished(drained: true)
        entries[name]?.health = .unknown
        capacityMayHaveChanged()
        if let configuration = entries[name]?.configuration {
            publishEvent(.unloaded, name: name, id: id, configuration: configuration)
        }
        entries[name]?.unloadWaiters.resumeAll(with: ())
        return .success(())
    }

    /// Waits until the model holds no lease, or the deadline passes; returns whether the leases ended.
    private func waitForLeasesToEnd(_ name: String, deadline: Duration) async -> Bool {
        guard let entry = entries[name], leaseTable.figures(name).leases > 0 else { return true }
        let waiters = entry.drainWaiters
        let ticket = waiters.enqueue()
        let timer = schedule(after: deadline) { _ in waiters.resume(ticket, with: false) }
        defer { timer.cancel() }
        return (try? await waiters.wait(for: ticket)) ?? false
    }
}
