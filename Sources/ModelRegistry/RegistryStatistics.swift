/// Totals over the whole registry, from ``ModelRegistry/statistics``.
public struct RegistryStatistics: Sendable, Hashable {
    /// Models registered.
    public var registered: Int
    /// Models loaded now.
    public var loaded: Int
    /// Loads under way now (running or waiting for a slot or for room), downloads included.
    public var loading: Int
    /// Models downloading their file now (for a load, or for ``ModelRegistry/download(_:)``).
    public var downloading: Int
    /// Downloads transferring now, and downloads waiting for a `maxConcurrentDownloads` slot.
    public var activeDownloads: Int, queuedDownloads: Int
    /// Models whose last load failed.
    public var failed: Int
    /// Loads holding a `maxConcurrentLoads` slot now.
    public var activeLoads: Int
    /// Loads waiting for a `maxConcurrentLoads` slot now.
    public var queuedLoads: Int
    /// Successful loads over the registry's life.
    public var totalLoads: Int
    /// Failed loads over the registry's life.
    public var totalFailures: Int
    /// Models unloaded by keep-alive expiry or to make room.
    public var evictions: Int
    /// Leases held now, over all models.
    public var activeLeases: Int
    /// Bytes the loaded models hold (or have reserved while loading).
    public var memoryInUse: Int
    /// The memory budget, if one is set.
    public var memoryBudget: Int?
    /// Events that full subscriber buffers dropped.
    public var droppedEvents: Int
    /// Version swaps completed (new leases moved to the new version).
    public var swaps: Int
    /// The catalog version each versioned model serves, by name.
    public var versions: [String: String]
}

extension ModelRegistry {
    /// Totals over every model: counts by state, loads, failures, evictions, leases and memory.
    public var statistics: RegistryStatistics {
        let values = Array(entries.values)
        func count(_ kind: ModelState.Kind) -> Int { values.count { $0.state.kind == kind } }
        return RegistryStatistics(
            registered: values.count, loaded: count(.loaded), loading: values.count { $0.lifecycle.attempt != nil },
            downloading: count(.downloading), activeDownloads: downloads.runningDownloads,
            queuedDownloads: downloads.queuedDownloads, failed: count(.failed),
            activeLoads: loadSlotsInUse, queuedLoads: loadSlotWaiters.count,
            totalLoads: values.reduce(0) { $0 + $1.lifecycle.loadCount },
            totalFailures: values.reduce(0) { $0 + $1.lifecycle.failureCount },
            evictions: evictionCount, activeLeases: entries.keys.reduce(0) { $0 + leaseTable.figures($1).leases },
            memoryInUse: heldBytes(), memoryBudget: options.memoryBudget,
            droppedEvents: droppedEventCount, swaps: swapCount,
            versions: entries.compactMapValues(\.configuration.version))
    }
}
