extension ModelRegistry {
    /// Starts the model's keep-alive countdown if it is loaded and idle; a lease beginning cancels it.
    func scheduleIdleExpiry(_ name: String) {
        let leases = leaseTable.figures(name)
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded, leases.leases == 0 else { return }
        let keepAlive = entry.configuration.keepAlive ?? options.defaultKeepAlive
        var timer: Task<Void, Never>?
        if case .idle(let idle) = keepAlive {
            let tick = leases.lastUseTick
            timer = schedule(after: idle) { registry in
                await registry.expireIdle(name, id: loaded.id, tick: tick, keepAlive: keepAlive)
            }
        }
        entries[name]?.lifecycle.setIdleTimer(timer, load: loaded.id)?.cancel()
    }

    /// Unloads the model if it is still the same load, still idle, and unused since the countdown began.
    private func expireIdle(_ name: String, id: ModelID, tick: UInt64, keepAlive: KeepAlive) async {
        let leases = leaseTable.figures(name)
        guard entries[name]?.lifecycle.loaded?.id == id, leases.leases == 0, leases.lastUseTick == tick else { return }
        await evict(name, reason: "idle for its keep-alive of \(keepAlive)")
    }

    /// Opens the model's lease fast path when it is loaded and nothing needs to see its leases (keep-alive
    /// `forever`, no load waiting for capacity); closes it otherwise.
    func refreshFastPath(_ name: String) {
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded,
            (entry.configuration.keepAlive ?? options.defaultKeepAlive) == .forever, capacityWaiters.isEmpty,
            !entry.isUnregistering
        else {
            leaseTable.close(name)
            return
        }
        leaseTable.open(name, id: loaded.id, engine: loaded.engine)
    }

    /// ``refreshFastPath(_:)`` for every model, once no load waits for capacity any more.
    func refreshFastPaths() {
        guard capacityWaiters.isEmpty else { return }
        for name in entries.keys { refreshFastPath(name) }
    }
}
