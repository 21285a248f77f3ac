extension ModelRegistry {
    /// Starts the model's keep-alive countdown if it is loaded and has an idle keep-alive.
    ///
    /// With its fast path open the countdown runs from the end of the last lease (``LeaseTable/Figures/idleSince``),
    /// or for the whole keep-alive while leases are held (none can end sooner), and leases do not cancel it: it
    /// checks again when due. With the fast path closed (a keep-alive of `0`, a load waiting for capacity) it starts
    /// only once the last lease has ended, which the actor then hears of, and a lease beginning cancels it.
    func scheduleIdleExpiry(_ name: String) {
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded else { return }
        let keepAlive = keepAlive(of: entry)
        let figures = leaseTable.figures(name)
        var timer: Task<Void, Never>?
        if case .idle(let idle) = keepAlive, figures.leases == 0 || figures.idleSince != nil {
            var due = idle
            if let since = figures.idleSince, figures.leases == 0 { due = max(since + idle - clock.now, .zero) }
            let tick = figures.lastUseTick
            timer = schedule(after: due) { registry in
                await registry.expireIdle(name, id: loaded.id, tick: tick, keepAlive: keepAlive)
            }
        }
        entries[name]?.lifecycle.setIdleTimer(timer, load: loaded.id)?.cancel()
    }

    /// Starts the model's keep-alive countdown unless one runs already (``refreshFastPath(_:)`` arms one when it
    /// opens the fast path): arming another would start a task only to cancel it.
    func armIdleExpiryIfNone(_ name: String) {
        if entries[name]?.lifecycle.loaded?.idleTimer == nil { scheduleIdleExpiry(name) }
    }

    /// Unloads the model if it is still the same load and has been idle for its whole keep-alive: watched on the
    /// fast path, no lease held and none ended within it; otherwise, unused since the countdown began. A model used
    /// meanwhile gets its fast path back and a countdown from its last use.
    private func expireIdle(_ name: String, id: ModelID, tick: UInt64, keepAlive: KeepAlive) async {
        guard entries[name]?.lifecycle.loaded?.id == id, case .idle(let idle) = keepAlive else { return }
        let figures = leaseTable.closeForExpiry(name)  // from here every lease goes through this actor
        let idleLongEnough = figures.idleSince.map { clock.now - $0 >= idle } ?? (figures.lastUseTick == tick)
        if figures.leases == 0 && idleLongEnough {
            await evict(name, reason: "idle for its keep-alive of \(keepAlive)")
            return
        }
        refreshFastPath(name)
        scheduleIdleExpiry(name)
    }

    /// Opens the model's lease fast path when it is loaded and nothing needs to hear of each lease (no load waiting
    /// for capacity, a keep-alive other than `0`); closes it otherwise. With an idle keep-alive the table watches
    /// lease ends for the countdown, and the countdown is armed if none runs: lease ends on an open fast path reach
    /// no one, so a countdown a lease cancelled while the path was closed (during a capacity wait) would never
    /// start again.
    func refreshFastPath(_ name: String) {
        guard let entry = entries[name], let loaded = entry.lifecycle.loaded, capacityWaiters.isEmpty,
            !entry.isUnregistering, case let keepAlive = keepAlive(of: entry), keepAlive != .idle(.zero)
        else {
            leaseTable.close(name)
            return
        }
        let watchesIdle = keepAlive != .forever
        leaseTable.open(name, id: loaded.id, engine: loaded.engine, watchingIdleOn: watchesIdle ? clock : nil)
        if watchesIdle && loaded.idleTimer == nil { scheduleIdleExpiry(name) }
    }

    /// The model's own keep-alive, else the registry's default.
    private func keepAlive(of entry: ModelEntry) -> KeepAlive {
        entry.configuration.keepAlive ?? options.defaultKeepAlive
    }

    /// ``refreshFastPath(_:)`` for every model, once no load waits for capacity any more.
    func refreshFastPaths() {
        guard capacityWaiters.isEmpty else { return }
        for name in entries.keys { refreshFastPath(name) }
    }
}
