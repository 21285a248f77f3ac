/// Every model's current worker pool and the load each serves, plus the pools taken out that still finish their
/// requests: the worker registry's shared state, behind one lock because submissions read it without an actor hop.
///
/// Two parties change it, out of step. The registry's load hook installs a load's pool the moment the load
/// succeeds, on the registry's actor, before the load returns. The worker registry's listener follows the
/// registry's events, which it may handle later, after the model has unloaded and loaded again. So each change the
/// listener makes names the load its event belongs to, and touches a pool only if the pool serves that load: an
/// older load's events never close or remove a newer load's pool.
struct WorkerPoolTable {
    /// One model's current pool.
    struct Slot {
        /// The pool.
        let pool: WorkerPool
        /// The id the registry's events about the pool's load carry: the load's own, then, after a side-by-side
        /// version swap, the swap's.
        var serving: ModelID
        /// Whether the listener has reached the pool's load in the registry's events (it handled the load's
        /// `loaded`, or started the pool itself): until then, the events it handles are about older loads.
        var isFollowed: Bool
    }

    /// The current pools, by model name.
    private(set) var slots: [String: Slot] = [:]
    /// The pools taken out of ``slots`` whose workers may still run requests, each with the task that waits for
    /// them and then announces their `.stopped`; the task removes its entry when done.
    var retiring: [ObjectIdentifier: Task<Void, Never>] = [:]

    /// The load hook's change: `slot` becomes the model's pool, whatever pool the model had.
    /// - Returns: The pool it replaces (an older load's, to retire), if any.
    mutating func install(_ slot: Slot) -> WorkerPool? {
        defer { slots[slot.pool.name] = slot }
        return slots[slot.pool.name]?.pool
    }

    /// Adds `slot` unless its model has a pool already (the load hook's pool for a newer load, say).
    /// - Returns: Whether it was added.
    mutating func installIfAbsent(_ slot: Slot) -> Bool {
        guard slots[slot.pool.name] == nil else { return false }
        slots[slot.pool.name] = slot
        return true
    }

    /// The model's pool, if it serves the load `id`; `nil` when `id` is `nil` (an event outside a load).
    func pool(_ name: String, serving id: ModelID?) -> WorkerPool? {
        guard let slot = slots[name], slot.serving == id else { return nil }
        return slot.pool
    }

    /// Removes the model's pool if it serves the load `id`.
    /// - Returns: The pool removed (to retire), if any.
    mutating func remove(_ name: String, serving id: ModelID?) -> WorkerPool? {
        guard let pool = pool(name, serving: id) else { return nil }
        slots[name] = nil
        return pool
    }

    /// The listener reached load `id` of the model (its `loaded` event): the events that follow are about it.
    mutating func follow(_ name: String, load id: ModelID) {
        guard slots[name]?.serving == id else { return }
        slots[name]?.isFollowed = true
    }

    /// A side-by-side swap moved the model's load the listener follows to the swap's id `id`. A pool the listener
    /// does not follow yet serves a newer load, which the swap is not about.
    mutating func swapped(_ name: String, to id: ModelID) {
        guard slots[name]?.isFollowed == true else { return }
        slots[name]?.serving = id
    }

    /// Empties the table.
    /// - Returns: The current pools (to retire) and the tasks of those retiring.
    mutating func removeAll() -> (pools: [WorkerPool], retiring: [Task<Void, Never>]) {
        defer { (slots, retiring) = ([:], [:]) }
        return (slots.values.map(\.pool), Array(retiring.values))
    }
}
