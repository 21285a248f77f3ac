import Foundation

extension ModelRegistry {
    /// Swaps a model to another configuration (usually another catalog version) without dropping a request.
    ///
    /// A loaded model goes on serving while the new configuration loads beside it (and answers its warm-up);
    /// then new leases go to the new engine and the old one drains its leases and unloads
    /// (``VersionSwap/Mode/sideBySide``). When both do not fit the memory budget, or the new file must be
    /// downloaded first, the old one drains and unloads first and requests that arrive meanwhile wait for the new
    /// one, bounded by the model's load timeout (``VersionSwap/Mode/resourcePreserving``). Events report the
    /// swap: ``RegistryEvent/Kind/swapStarted(_:)``, ``RegistryEvent/Kind/swapped(_:)`` (or
    /// ``RegistryEvent/Kind/swapFailed(_:_:)``), then ``RegistryEvent/Kind/retired(version:)``.
    ///
    /// A model that is not loaded simply takes the new configuration (its next load uses it); one that is loading
    /// is reloaded with it. A newer swap replaces one still loading.
    /// - Parameters:
    ///   - name: The public name.
    ///   - configuration: The new configuration; its `name` must be `name`.
    /// - Returns: The swap run, or `nil` when the model was not loaded (nothing to swap).
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``; ``RegistryError/invalidConfiguration(file:model:field:reason:)``
    ///   for a rename; ``RegistryError/engineNotRegistered(model:pair:registered:)``; what the new version's load
    ///   throws (``RegistryError/loadFailed(name:underlying:)``…): the old version then goes on serving;
    ///   ``RegistryError/loadCancelled(name:)`` when an unload, a newer swap or the caller's cancellation cancels
    ///   this one (the old version goes on serving until unloaded). A native load cannot stop midway: the call
    ///   returns once the new version's load has ended and its engine is freed, and the model's next load or swap
    ///   begins only after that.
    @discardableResult
    public func swap(_ name: String, to configuration: ModelConfiguration) async throws(RegistryError) -> VersionSwap? {
        let current = try entry(name)
        guard configuration.name == name else {
            throw .invalidConfiguration(
                file: "swap", model: name, field: "name",
                reason: "a swap keeps the model's name; register \"\(configuration.name)\" as a new model")
        }
        guard let loaded = current.lifecycle.loaded else {
            try await updateConfiguration(name, reload: true) { $0 = configuration }
            return nil
        }
        let needed = expectedBytes(of: configuration)
        let swap = VersionSwap(
            from: Self.versionLabel(of: current.configuration), to: Self.versionLabel(of: configuration),
            mode: fitsBeside(name, needing: needed) && !configuration.isRemote ? .sideBySide : .resourcePreserving)
        switch swap.mode {
        case .sideBySide: try await swapSideBySide(name, to: configuration, swap, needing: needed, replacing: loaded)
        case .resourcePreserving: try await swapInPlace(name, to: configuration, swap)
        }
        return swap
    }

    /// Loads the new version beside the serving one, then moves new leases to it.
    private func swapSideBySide(
        _ name: String, to configuration: ModelConfiguration, _ swap: VersionSwap, needing needed: Int,
        replacing loaded: ModelLifecycle.Loaded
    ) async throws(RegistryError) {
        let engine: any InferenceEngine
        do {
            engine = try factory.makeEngine(for: configuration)
        } catch {
            publish(.swapFailed(swap, error), for: name)
            throw error
        }
        let id = ModelID()
        let incoming = ModelLifecycle.IncomingVersion(
            id: id, engine: engine, configuration: configuration, swap: swap, startedAt: .now, reservedBytes: needed)
        if let replaced = entries[name]?.lifecycle.swapStarted(incoming) { cancelSwap(name, replaced) }
        // a cancelled load's or swap's engine (the one just replaced, say) may still load: one native load at a time
        let abandoned = entries[name]?.lifecycle.takeAbandonedWork()
        publishEvent(.swapStarted(swap), name: name, id: id, configuration: configuration)
        let progress = progressReporter(name, id: id, configuration: configuration)
        let outcome = Locked<Result<Void, RegistryError>>(.failure(.loadCancelled(name: name)))
        // The work settles the swap itself and, when the swap was cancelled while its engine loaded, unloads that
        // engine before it ends: a load or swap waiting for this work (as abandoned work) starts once it is gone.
        let work = Task {
            await abandoned?.value
            let result = await self.loadIncoming(
                engine, name: name, id: id, configuration: configuration, progress: progress)
            let settled = self.finishSwap(name, id: id, swap, result)
            if case .failure = settled, case .success = result { await engine.unload() }
            self.abandonableWorkEnded(name, id: id)
            outcome.withLock { $0 = settled }
        }
        entries[name]?.lifecycle.setSwapWork(work, swap: id)
        // The caller's cancellation cancels the load, and the swap settles only once the load has ended: an engine
        // that finished loading after its caller gave up would otherwise stay loaded, owned by no one.
        await withTaskCancellationHandler { await work.value } onCancel: { work.cancel() }
        try outcome.withLock { $0 }.get()
    }

    /// Loads and warms up a swap's new version once it holds a load slot (see
    /// ``runEngineLoad(_:name:id:configuration:progress:verifiedSHA256:)``); a swap cancelled before that loads nothing.
    private func loadIncoming(
        _ engine: any InferenceEngine, name: String, id: ModelID, configuration: ModelConfiguration,
        progress: LoadProgressReporter
    ) async -> Result<LoadedFigures, RegistryError> {
        guard !Task.isCancelled else { return .failure(.loadCancelled(name: name)) }
        do { try await acquireLoadSlot() } catch { return .failure(.loadCancelled(name: name)) }
        defer { releaseLoadSlot() }
        return await Self.runEngineLoad(engine, name: name, id: id, configuration: configuration, progress: progress)
    }

    /// Settles a side-by-side swap: the new engine takes new leases and the old one retires, or the swap failed and
    /// the old one goes on serving.
    /// - Returns: `loadCancelled` when the engine loaded but the swap was cancelled meanwhile (by an unload or a newer
    ///   swap): the caller then unloads the engine.
    private func finishSwap(
        _ name: String, id: ModelID, _ swap: VersionSwap, _ result: Result<LoadedFigures, RegistryError>
    ) -> Result<Void, RegistryError> {
        progressEnded(id)  // settled now, or already by a cancellation
        switch result {
        case .success(let figures):
            guard let (old, incoming) = entries[name]?.lifecycle.swapSucceeded(
                swap: id, reportedBytes: figures.reportedBytes, at: .now, date: Date())
            else { return .failure(.loadCancelled(name: name)) }
            old.idleTimer?.cancel()
            setConfiguration(incoming.configuration)
            learn(figures, for: name)
            let held = leaseTable.retire(name, id: old.id)
            entries[name]?.retiring[old.id] = RetiringVersion(loaded: old, version: swap.from)
            refreshFastPath(name)
            swapCount += 1
            publish(.swapped(swap), for: name)
            if held == 0 { retireDrained(name, id: old.id) }
            armIdleExpiryIfNone(name)
            capacityMayHaveChanged()
            return .success(())
        case .failure(let error):
            // Nothing to free: a failed load or warm-up unloaded the engine (see `runEngineLoad`), and a swap
            // cancelled while waiting for a load slot never loaded it. A swap cancelled meanwhile has published its
            // end already (``cancelSwap(_:_:)``).
            if entries[name]?.lifecycle.swapEnded(swap: id) != nil, let configuration = entries[name]?.configuration {
                publishEvent(.swapFailed(swap, error), name: name, id: id, configuration: configuration)
            }
            capacityMayHaveChanged()
            return .failure(error)
        }
    }

    /// Drains and unloads the old version, then loads the new one; when that fails, loads the old one again.
    private func swapInPlace(
        _ name: String, to configuration: ModelConfiguration, _ swap: VersionSwap
    ) async throws(RegistryError) {
        guard let old = entries[name]?.configuration else { throw .unregistered(name: name) }
        publishEvent(.swapStarted(swap), name: name, id: nil, configuration: configuration)
        // The new configuration is in place before the unload starts, so a request that waits for the unload
        // loads the new version, never the old one again.
        setConfiguration(configuration)
        do {
            try await unload(name)
            try await load(name)
        } catch {
            publish(.swapFailed(swap, error), for: name)
            setConfiguration(old)
            entries[name]?.lifecycle.clearBackoff()  // the new version's failure must not hold the old one back
            _ = try? await load(name)
            throw error
        }
        swapCount += 1
        publish(.swapped(swap), for: name)
        if let configuration = entries[name]?.configuration {
            publishEvent(.retired(version: swap.from), name: name, id: nil, configuration: configuration)
        }
    }

    /// Cancels a side-by-side swap still loading (an unload or a newer swap replaces it). Its engine may go on
    /// loading, as a native load cannot stop midway, and is freed when its load returns; the lifecycle keeps the
    /// swap's work as abandoned work, which the model's next load or swap waits for.
    func cancelSwap(_ name: String, _ incoming: ModelLifecycle.IncomingVersion) {
        progressEnded(incoming.id)
        incoming.work?.cancel()
        if let configuration = entries[name]?.configuration {
            publishEvent(
                .swapFailed(incoming.swap, .loadCancelled(name: name)), name: name, id: incoming.id,
                configuration: configuration)
        }
    }

    /// The last lease of a swap's old version ended (or it had none): unload its engine.
    func retireDrained(_ name: String, id: ModelID) {
        guard let old = entries[name]?.retiring[id] else { return }
        Task {
            await old.loaded.engine.unload()
            self.retired(name, id: id)
        }
    }

    /// A retired version's engine has unloaded: its memory is free.
    private func retired(_ name: String, id: ModelID) {
        guard let old = entries[name]?.retiring.removeValue(forKey: id), let entry = entries[name] else {
            // unregistered while this version unloaded: the registry held its bytes until now
            if unregisteredWorkBytes.removeValue(forKey: id) != nil { capacityMayHaveChanged() }
            return
        }
        publishEvent(.retired(version: old.version), name: name, id: id, configuration: entry.configuration)
        capacityMayHaveChanged()
    }

    /// Whether the new version fits the memory budget beside every model loaded now, this one included.
    private func fitsBeside(_ name: String, needing needed: Int) -> Bool {
        guard let budget = options.memoryBudget else { return true }
        return heldBytes() + needed <= budget
    }

    /// A configuration's version for swap events: its ``ModelConfiguration/version``, else its file's name.
    static func versionLabel(of configuration: ModelConfiguration) -> String {
        configuration.version ?? URL(fileURLWithPath: configuration.path).lastPathComponent
    }
}
