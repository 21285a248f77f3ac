extension ModelRegistry {
    /// Starts the model's keep-alive countdown if it is loaded and idle; a lease beginning cancels it.
    func scheduleIdleExpiry(_ name: String) {
        guard var entry = entries[name], case .loaded(let id, _) = entry.phase, entry.activeLeases == 0 else { return }
        entry.idleTimer?.cancel()
        entry.idleTimer = nil
        let keepAlive = entry.configuration.keepAlive ?? options.defaultKeepAlive
        if case .idle(let idle) = keepAlive {
            let tick = entry.lastUseTick
            entry.idleTimer = schedule(after: idle) { registry in
                await registry.expireIdle(name, id: id, tick: tick, keepAlive: keepAlive)
            }
        }
        entries[name] = entry
    }

    /// Unloads the model if it is still the same load, still idle, and unused since the countdown began.
    private func expireIdle(_ name: String, id: ModelID, tick: UInt64, keepAlive: KeepAlive) async {
        guard let entry = entries[name], case .loaded(let current, _) = entry.phase, current == id,
            entry.activeLeases == 0, entry.lastUseTick == tick
        else { return }
        await evict(name, reason: "idle for its keep-alive of \(keepAlive)")
    }
}
