import Foundation

extension ModelRegistry {
    /// Loads a model, or joins the load already under way, and waits until it is loaded.
    ///
    /// A model that is unloading is loaded again once its unload ends (that wait ends when the caller's task is
    /// cancelled or `timeout` passes, as a lease request's does); a failed model is retried.
    /// - Parameters:
    ///   - requested: The public name, or `model@version` for one catalog version (see ``withModel(_:version:isolation:_:)``).
    ///   - timeout: The longest the load may take; `nil` uses the model's `loadTimeout`, then the registry's.
    /// - Returns: The model's record once loaded.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``,
    ///   ``RegistryError/engineNotRegistered(model:pair:registered:)``, ``RegistryError/loadFailed(name:underlying:)``,
    ///   ``RegistryError/loadTimedOut(name:after:)``, ``RegistryError/loadCancelled(name:)``,
    ///   ``RegistryError/downloadFailed(name:underlying:)``, ``RegistryError/checksumMismatch(name:path:expected:actual:)``
    ///   (a remote model's file on disk changed), ``RegistryError/unknownParameter(model:key:engine:known:)``,
    ///   ``RegistryError/insufficientCapacity(name:needed:reason:holders:)``,
    ///   ``RegistryError/retryCooldown(name:retryIn:failures:lastError:)`` while a failed model backs off, or
    ///   ``RegistryError/unregistered(name:)`` when ``unregister(_:)`` removes the model while the call waits for
    ///   its load or its unload.
    @discardableResult
    public func load(_ requested: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        let name = try resolve(requested)
        let started = clock.now
        while true {
            // `resolve` found the model: when it has gone since, `unregister` removed it while this call waited
            guard let entry = entries[name] else { throw .unregistered(name: name) }
            if entry.lifecycle.loaded != nil { return try record(of: name) }
            if case .unloading = entry.lifecycle.phase {
                // as a lease request waits: cancellable, and bounded by the timeout (an unload may drain for long)
                try await waitForUnload(name, since: started, timeout: timeout)
                continue
            }
            _ = try await waitForLoad(name, timeout: timeout, leasing: false)
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
        entries[name]?.lifecycle.clearBackoff()
        return try await load(name, timeout: timeout)
    }

    /// Cancels a running load. Its waiters get ``RegistryError/loadCancelled(name:)`` and the model ends `failed`;
    /// an engine that finishes loading after this is unloaded at once.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func cancelLoad(_ name: String) throws(RegistryError) {
        guard let attempt = try entry(name).lifecycle.attempt else { return }
        finishLoad(name, id: attempt.id, result: .failure(.loadCancelled(name: name)))
    }

    /// Asks the model's lifecycle for it and carries out the answer: uses the loaded engine, waits for an unload,
    /// joins the running load or starts one.
    /// - Returns: The load's id and engine (with a lease taken when `leasing`); `nil` when the caller should ask
    ///   again (the model was unloading, or an unload cancelled the load this leasing caller waited for).
    func waitForLoad(
        _ name: String, timeout: Duration?, leasing: Bool
    ) async throws(RegistryError) -> (ModelID, any InferenceEngine)? {
        guard !(try entry(name)).isUnregistering else { throw .unregistered(name: name) }
        let watchedIdle = leaseTable.figures(name).idleSince != nil
        let action = entries[name]!.lifecycle.request(leasing: leasing, now: clock.now, keepingIdleTimer: watchedIdle)
        switch action {
        case .use(let id, let engine, let cancel):
            cancel?.cancel()
            if leasing { leaseTable.lease(name) }
            return (id, engine)
        case .waitForUnload(let done):
            _ = await done.value
            return nil
        case .refuse(let retryIn, let failures, let lastError):
            throw .retryCooldown(name: name, retryIn: retryIn, failures: failures, lastError: "\(lastError)")
        case .startLoad:
            // a cancelled caller would stop waiting at once, leaving a load nobody asked for
            guard !Task.isCancelled else { throw .loadCancelled(name: name) }
            let id = try startLoad(name, timeout: timeout)
            guard let engine = try await join(name, id: id, leasing: leasing) else { return nil }
            return (id, engine)
        case .join(let id):
            guard let engine = try await join(name, id: id, leasing: leasing) else { return nil }
            return (id, engine)
        }
    }

    /// Waits for the load with this id to finish; a cancelled caller stops waiting but the load goes on.
    /// - Returns: The engine, or `nil` when an unload cancelled the load of this leasing waiter (ask again).
    private func join(_ name: String, id: ModelID, leasing: Bool) async throws(RegistryError) -> (any InferenceEngine)? {
        let key = makeWaiterID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: LoadContinuation) in
                    let waiter = ModelLifecycle.LoadWaiter(continuation: continuation, leasing: leasing)
                    guard !Task.isCancelled, entries[name]?.lifecycle.addWaiter(waiter, key: key, toLoad: id) == true
                    else {
                        continuation.resume(throwing: RegistryError.loadCancelled(name: name))
                        return
                    }
                }
            } onCancel: {
                Task { await self.dropLoadWaiter(name, id: id, key: key) }
            }
        } catch let error as RegistryError {
            throw error
        } catch is LoadInterruptedByUnload {
            return nil
        } catch {
            throw .loadCancelled(name: name)
        }
    }

    private func dropLoadWaiter(_ name: String, id: ModelID, key: UInt64) {
        entries[name]?.lifecycle.removeWaiter(key, fromLoad: id)?.continuation
            .resume(throwing: RegistryError.loadCancelled(name: name))
    }

    /// The progress reporter of load or swap `id`, kept until the attempt settles (``progressEnded(_:)``).
    func progressReporter(_ name: String, id: ModelID, configuration: ModelConfiguration) -> LoadProgressReporter {
        let reporter = LoadProgressReporter(broadcaster: broadcaster, name: name, id: id, configuration: configuration)
        progressReporters[id] = reporter
        return reporter
    }

    /// Load or swap `id` is settled: what its engine reports from now on is not published.
    func progressEnded(_ id: ModelID) { progressReporters.removeValue(forKey: id)?.close() }

    /// Creates the engine and starts the load and its timeout in the background.
    /// - Returns: The new load's id.
    private func startLoad(_ name: String, timeout: Duration?) throws(RegistryError) -> ModelID {
        let configuration = try entry(name).configuration
        let engine: any InferenceEngine
        do {
            engine = try factory.makeEngine(for: configuration)
        } catch {
            entries[name]?.lifecycle.engineCreationFailed(error)
            publish(.loadFailed(error), for: name)
            throw error
        }
        let id = ModelID()
        let abandoned = entries[name]?.lifecycle.takeAbandonedWork()
        entries[name]?.lifecycle.loadStarted(ModelLifecycle.LoadAttempt(id: id, engine: engine, startedAt: .now))
        let progress = progressReporter(name, id: id, configuration: configuration)
        let work = Task {
            await abandoned?.value  // a cancelled load's engine may still be loading: one native load at a time
            let result = await self.performLoad(
                name, id: id, engine: engine, configuration: configuration, progress: progress)
            if !self.finishLoad(name, id: id, result: result), case .success = result {
                await engine.unload()  // the load was cancelled or timed out meanwhile: free what it holds
            }
            self.abandonableWorkEnded(name, id: id)
        }
        var timer: Task<Void, Never>?
        if let limit = timeout ?? configuration.loadTimeout ?? options.defaultLoadTimeout {
            timer = schedule(after: limit) { registry in
                registry.finishLoad(name, id: id, result: .failure(.loadTimedOut(name: name, after: limit)))
            }
        }
        entries[name]?.lifecycle.setTasks(work: work, timer: timer, load: id)
        if entries[name]?.downloadTo == nil { publish(.loadStarted, for: name) }  // remote: fetchModelFile announces it
        return id
    }

    /// The work of load or swap `id` ended: bytes still counted for it as abandoned work (by its model, or here once
    /// the model was unregistered) are released, and loads waiting for capacity look again.
    func abandonableWorkEnded(_ name: String, id: ModelID) {
        let released = entries[name]?.lifecycle.workEnded(id) == true
        if released || unregisteredWorkBytes.removeValue(forKey: id) != nil { capacityMayHaveChanged() }
    }

    /// Downloads a remote model's file, waits for admission (load slot, capacity), then runs the engine's load and
    /// warm-up; returns what the engine was seen to hold.
    private func performLoad(
        _ name: String, id: ModelID, engine: any InferenceEngine, configuration requested: ModelConfiguration,
        progress: LoadProgressReporter
    ) async -> Result<LoadedFigures, RegistryError> {
        let configuration: ModelConfiguration
        var verifiedSHA256: String?
        do {
            var local = requested
            if let download = entries[name]?.downloadTo {
                local = try await fetchModelFile(name, id: id, configuration: requested)
                verifiedSHA256 = download.expectedSHA256  // fetchModelFile returns the file only once it matches
            }
            configuration = local
            try await admit(name, id: id, configuration: configuration)
        } catch let error as RegistryError {
            return .failure(error)
        } catch {
            return .failure(.loadCancelled(name: name))
        }
        defer { releaseLoadSlot() }
        return await Self.runEngineLoad(
            engine, name: name, id: id, configuration: configuration,
            progress: progress, verifiedSHA256: verifiedSHA256)
    }

    /// Runs an engine's load and warm-up off the actor, publishing the progress the engine reports and the
    /// warm-up phase (a load with neither publishes no progress: `loadStarted` then says it all); measures what
    /// the engine holds. When the load or the warm-up throws, the engine is unloaded before the failure is
    /// returned (freeing a partial load, or a loaded engine whose warm-up failed): nobody owns it afterwards.
    /// `verifiedSHA256` is the hash the file was found to have during this load, handed to the engine
    /// (``EngineLoadContext/verifiedSHA256``) so that it does not hash the file again.
    nonisolated static func runEngineLoad(
        _ engine: any InferenceEngine, name: String, id: ModelID, configuration: ModelConfiguration,
        progress: LoadProgressReporter, verifiedSHA256: String? = nil
    ) async -> Result<LoadedFigures, RegistryError> {
        let residentBefore = LearnedMemory.residentBytes()
        do {
            try await engine.load(EngineLoadContext(
                modelID: id, configuration: configuration, reportProgress: { progress.reportLoading($0) },
                verifiedSHA256: verifiedSHA256))
            if let input = configuration.warmUp {
                progress.report(LoadProgress(phase: .warmingUp))
                try await engine.warmUp(input)
            }
        } catch {
            await engine.unload()
            return .failure(.loadFailed(name: name, underlying: error))
        }
        let reported = await engine.memoryFootprint()
        var growth: Int?
        if let before = residentBefore, let after = LearnedMemory.residentBytes() { growth = max(after - before, 0) }
        return .success(LoadedFigures(reportedBytes: reported, residentGrowth: growth, path: configuration.path))
    }

    /// Settles the load with this id and carries out what follows; returns `false` when the load was already
    /// settled (cancelled, timed out, or cancelled by an unload).
    @discardableResult
    func finishLoad(_ name: String, id: ModelID, result: Result<LoadedFigures, RegistryError>) -> Bool {
        progressEnded(id)  // settled now, or already
        guard entries[name] != nil else { return false }
        switch result {
        case .success(let figures):
            guard let settled = entries[name]!.lifecycle.loadSucceeded(
                load: id, reportedBytes: figures.reportedBytes, at: .now, date: Date())
            else { return false }
            learn(figures, for: name)
            settled.timer?.cancel()
            let leases = settled.waiters.count(where: \.leasing)
            if leases > 0 { leaseTable.lease(name, count: leases) } else { leaseTable.touch(name) }
            refreshFastPath(name)
            if let configuration = entries[name]?.configuration {
                for hook in loadHooks.values { hook(name, id, configuration) }
            }
            publish(.loaded(duration: entries[name]?.lifecycle.loadDuration ?? .zero), for: name)
            settled.waiters.forEach { $0.continuation.resume(returning: settled.engine) }
            armIdleExpiryIfNone(name)
        case .failure(let error):
            guard let settled = entries[name]!.lifecycle.loadFailed(
                load: id, error: error, now: clock.now, backoff: options.retryBackoff)
            else { return false }
            loadEnded(name, settled, error: error, byUnload: false)
        }
        return true
    }

    /// Carries out a failed or cancelled load: cancels its tasks, publishes the failure and resumes its waiters.
    /// When `byUnload`, leasing waiters ask again instead of failing. The load they then start or join waits for this
    /// one's engine to finish first (``ModelLifecycle/takeAbandonedWork()``), so asking at once piles up no loads.
    func loadEnded(_ name: String, _ settled: ModelLifecycle.SettledLoad, error: RegistryError, byUnload: Bool) {
        progressEnded(settled.id)
        settled.timer?.cancel()
        settled.work?.cancel()
        if let configuration = entries[name]?.configuration {
            publishEvent(.loadFailed(error), name: name, id: settled.id, configuration: configuration)
        }
        for waiter in settled.waiters {
            if byUnload && waiter.leasing {
                waiter.continuation.resume(throwing: LoadInterruptedByUnload())
            } else {
                waiter.continuation.resume(throwing: error)
            }
        }
        capacityMayHaveChanged()
    }
}

// MARK: - Admission: a load slot, then room within the model count and the memory budget

extension ModelRegistry {
    /// Holds a load back until a `maxConcurrentLoads` slot is free (in request order), then makes room for the model
    /// within `maxLoadedModels` and the memory budget, evicting idle models least recently used first.
    /// The bytes needed are what the file was seen to hold at its last load, else the size of the (local, possibly
    /// just downloaded) model file.
    /// - Throws: ``RegistryError/insufficientCapacity(name:needed:reason:holders:)`` when no room frees up in time;
    ///   `CancellationError` when the load is cancelled while waiting.
    func admit(_ name: String, id: ModelID, configuration: ModelConfiguration) async throws {
        try await acquireLoadSlot()
        do {
            try await makeRoom(for: name, id: id, needing: expectedBytes(of: configuration))
        } catch {
            releaseLoadSlot()
            refreshFastPaths()
            throw error
        }
    }

    /// Takes a load slot, waiting in order while all are in use.
    func acquireLoadSlot() async throws {
        guard let limit = options.maxConcurrentLoads, loadSlotsInUse >= limit || !loadSlotWaiters.isEmpty else {
            loadSlotsInUse += 1
            return
        }
        try await loadSlotWaiters.wait(for: loadSlotWaiters.enqueue())  // the releaser hands its slot over
    }

    /// Frees a load slot, handing it to the oldest waiter if there is one.
    func releaseLoadSlot() {
        if !loadSlotWaiters.resumeFirst(with: ()) { loadSlotsInUse -= 1 }
    }

    func makeRoom(for name: String, id: ModelID, needing needed: Int) async throws {
        if let budget = options.memoryBudget, needed > budget {
            // before any eviction: no number of evictions makes room for it
            throw RegistryError.insufficientCapacity(
                name: name, needed: needed, reason: "it is larger than the whole memory budget of \(budget) bytes",
                holders: capacityHolders(sparing: name))
        }
        let deadline = clock.now + options.capacityWaitTimeout
        while true {
            guard entries[name]?.lifecycle.isCurrentLoad(id) == true else { throw CancellationError() }
            let shortfall = capacityShortfall(for: name, needing: needed)
            guard let reason = shortfall else {
                _ = entries[name]?.lifecycle.admitted(bytes: needed, load: id)
                refreshFastPaths()
                return
            }
            leaseTable.closeAll()  // from now on every lease ending reaches the actor and wakes this wait
            if let victim = evictionCandidate(sparing: name) {
                await evict(victim, reason: "to make room for \"\(name)\" (\(reason))")
                continue
            }
            let holders = capacityHolders(sparing: name)
            guard clock.now < deadline else {
                throw RegistryError.insufficientCapacity(
                    name: name, needed: needed,
                    reason: "\(reason), and every loaded model is leased or pinned (waited \(options.capacityWaitTimeout))",
                    holders: holders)
            }
            try await waitForCapacityChange(until: deadline)
        }
    }

    /// Why the model does not fit right now, or `nil` when it does.
    private func capacityShortfall(for name: String, needing needed: Int) -> String? {
        let others = entries.filter { $0.key != name }.values
        if let limit = options.maxLoadedModels {
            let occupied = others.count(where: \.lifecycle.occupiesSlot)
            if occupied + 1 > limit { return "\(occupied) of at most \(limit) models are loaded" }
        }
        if let budget = options.memoryBudget {
            let used = heldBytes(sparing: name)
            if used + needed > budget { return "\(used) of \(budget) budget bytes are in use" }
        }
        return nil
    }

    /// The bytes counted against the memory budget: what every model (other than `sparing`) holds or has reserved,
    /// and the reservations of abandoned work of unregistered models (``unregisteredWorkBytes``).
    func heldBytes(sparing name: String? = nil) -> Int {
        let models = entries.reduce(0) { total, entry in entry.key == name ? total : total + entry.value.heldBytes }
        return models + unregisteredWorkBytes.values.reduce(0, +)
    }

    /// The idle, unpinned loaded model used least recently, other than `name`.
    private func evictionCandidate(sparing name: String) -> String? {
        entries.filter { key, entry in
            guard key != name, entry.lifecycle.loaded != nil else { return false }
            return leaseTable.figures(key).leases == 0 && !entry.configuration.pinned
        }.min { leaseTable.figures($0.key).lastUseTick < leaseTable.figures($1.key).lastUseTick }?.key
    }

    private func capacityHolders(sparing name: String) -> [CapacityHolder] {
        entries.filter { $0.key != name && $0.value.lifecycle.occupiesSlot }.sorted { $0.key < $1.key }.map { key, entry in
            CapacityHolder(
                name: key, bytes: entry.heldBytes, leases: leaseTable.figures(key).leases, pinned: entry.configuration.pinned,
                state: entry.state.kind)
        }
    }

    /// Unloads a model for the registry's own reasons (keep-alive expiry, making room), publishing why first.
    func evict(_ name: String, reason: String) async {
        evictionCount += 1
        publish(.evicted(reason: reason), for: name)
        try? await unload(name)
    }

    /// Waits until capacity may have changed (a lease ended, a model unloaded or failed) or the deadline passes.
    private func waitForCapacityChange(until deadline: Duration) async throws {
        let ticket = capacityWaiters.enqueue()
        let timer = schedule(after: deadline - clock.now) { [waiters = capacityWaiters] _ in
            waiters.resume(ticket, with: ())
        }
        defer { timer.cancel() }
        try await capacityWaiters.wait(for: ticket)
    }

    /// Wakes every load waiting for capacity, so each checks again.
    func capacityMayHaveChanged() { capacityWaiters.resumeAll(with: ()) }

    /// The bytes a model is expected to hold before it loads: the size of its file, or of its folder's files.
    static func estimatedBytes(of configuration: ModelConfiguration) -> Int {
        let url = URL(fileURLWithPath: configuration.path)
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: url.path) else { return 0 }
        if attributes[.type] as? FileAttributeType != .typeDirectory { return (attributes[.size] as? Int) ?? 0 }
        let files = manager.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey])
        return (files?.allObjects as? [URL] ?? []).reduce(0) { total, file in
            total + ((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
    }

    /// Records what a load was seen to hold, for the next admission of the same file and, for a catalog version,
    /// in the catalog.
    func learn(_ figures: LoadedFigures, for name: String) {
        guard let bytes = figures.learnedBytes, bytes > 0 else { return }
        learnedMemory.record(bytes, forFileAt: figures.path)
        guard let entry = entries[name], let source = entry.catalog, let text = entry.configuration.version,
            let version = try? SemanticVersion(parsing: text)
        else { return }
        try? source.catalog.recordLoadedMemory(bytes, name: source.name, version: version)
    }

    /// The bytes a model is expected to hold once loaded: what its file was seen to hold last time, else the
    /// file's size.
    func expectedBytes(of configuration: ModelConfiguration) -> Int {
        learnedMemory.bytes(forFileAt: configuration.path) ?? Self.estimatedBytes(of: configuration)
    }
}
