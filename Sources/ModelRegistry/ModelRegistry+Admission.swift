import Foundation

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
}
