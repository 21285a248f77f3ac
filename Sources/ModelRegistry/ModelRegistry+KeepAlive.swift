extension ModelRegistry {
    /// Starts the model's keep-alive countdown if it is loaded and idle; a lease beginning cancels it.
    func scheduleIdleExpiry(_ name: String) {
        let leases = leaseTable.figures(name)
        guard var entry = entries[name], case .loaded(let id, _) = entry.phase, leases.leases == 0 else { return }
        entry.idleTimer?.cancel()
        entry.idleTimer = nil
        let keepAlive = entry.configuration.keepAlive ?? options.defaultKeepAlive
        if case .idle(let idle) = keepAlive {
            let tick = leases.lastUseTick
            entry.idleTimer = schedule(after: idle) { registry in
                await registry.expireIdle(name, id: id, tick: tick, keepAlive: keepAlive)
            }
        }
        entries[name] = entry
    }

    /// Unloads the model if it is still the same load, still idle, and unused since the countdown began.
    private func expireIdle(_ name: String, id: ModelID, tick: UInt64, keepAlive: KeepAlive) async {
        let leases = leaseTable.figures(name)
        guard let entry = entries[name], case .loaded(let current, _) = entry.phase, current == id,
            leases.leases == 0, leases.lastUseTick == tick
        else { return }
        await evict(name, reason: "idle for its keep-alive of \(keepAlive)")
    }

    /// Opens the model's lease fast path when it is loaded and nothing needs to see its leases (keep-alive
    /// `forever`, no load waiting for capacity); closes it otherwise.
    func refreshFastPath(_ name: String) {
        guard let entry = entries[name], case .loaded(let id, let engine) = entry.phase,
            (entry.configuration.keepAlive ?? options.defaultKeepAlive) == .forever, capacityWaiters.isEmpty,
            !entry.isUnregistering
        else {
            leaseTable.close(name)
            return
        }
        leaseTable.open(name, id: id, engine: engine)
    }

    /// ``refreshFastPath(_:)`` for every model, once no load waits for capacity any more.
    func refreshFastPaths() {
        guard capacityWaiters.isEmpty else { return }
        for name in entries.keys { refreshFastPath(name) }
    }
}
