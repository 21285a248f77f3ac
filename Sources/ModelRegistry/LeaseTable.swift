import Foundation

/// Every model's lease count and use figures, behind one lock shared by the registry actor and lease holders, so
/// that leasing an already loaded model and ending a lease take no actor hop.
///
/// The actor opens a model's fast path (``open(_:id:engine:)``) when it is loaded and nothing needs to hear about
/// its leases (keep-alive `forever`, no load waiting for capacity), and closes it before anything that must see
/// every lease: an unload (``close(_:)`` returns the leases it must drain), a keep-alive countdown, a capacity
/// wait. While the fast path is closed, leases are taken on the actor and a lease ending at zero is reported to
/// it (``release(_:)`` returns `true`). So an unload never runs under a lease, exactly as when every lease went
/// through the actor.
final class LeaseTable: Sendable {
    /// A model's lease figures. A class so that the hot path mutates it in place under the table's lock, without
    /// copying it out of the dictionary; never touched outside that lock (snapshots are ``Figures``).
    private final class Counter: @unchecked Sendable {
        // @unchecked: read and written only inside the table's `Locked` (see the class comment).
        /// The engine fast leases get, while the fast path is open.
        var open: (id: ModelID, engine: any InferenceEngine)?
        var leases = 0
        var uses = 0
        /// The registry-wide use counter at the model's last lease: the lowest is the least recently used.
        var lastUseTick: UInt64 = 0
        /// When the last lease ended (or, while one is held, began).
        var lastUsedAt: Date?

        func count(leases added: Int, tick: UInt64) {
            leases += added
            uses += added
            lastUseTick = tick
        }

        /// Counts a fast lease when the fast path is open; returns the engine.
        func tryLease(tick: UInt64) -> (any InferenceEngine)? {
            guard let engine = open?.engine else { return nil }
            count(leases: 1, tick: tick)
            return engine
        }

        /// Ends a lease; returns whether it was the last one while the fast path is closed.
        func release() -> Bool {
            guard leases > 0 else { return false }
            leases -= 1
            lastUsedAt = Date()
            return leases == 0 && open == nil
        }
    }

    /// A snapshot of a model's lease figures.
    struct Figures {
        var leases = 0
        var uses = 0
        /// The registry-wide use counter at the model's last lease: the lowest is the least recently used.
        var lastUseTick: UInt64 = 0
        /// When the last lease ended (or, while one is held, began).
        var lastUsedAt: Date?
    }

    private struct State {
        var models: [String: Counter] = [:]
        var tick: UInt64 = 0
    }

    private let state = Locked(State())

    /// Adds a model (on registration).
    func add(_ name: String) { state.withLock { $0.models[name] = Counter() } }

    /// Removes a model (on unregistration); leases ended later are ignored.
    func remove(_ name: String) { state.withLock { _ = $0.models.removeValue(forKey: name) } }

    /// A model's figures now.
    func figures(_ name: String) -> Figures {
        state.withLock { state in
            state.models[name].map {
                Figures(leases: $0.leases, uses: $0.uses, lastUseTick: $0.lastUseTick, lastUsedAt: $0.lastUsedAt)
            }
        } ?? Figures()
    }

    /// Takes a lease without the actor when the model's fast path is open.
    /// - Returns: The engine, or `nil` when the caller must go through the actor.
    func tryLease(_ name: String) -> (any InferenceEngine)? {
        state.withLock { state in
            let tick = state.tick &+ 1
            let engine: (any InferenceEngine)? = state.models[name]?.tryLease(tick: tick)
            if engine != nil { state.tick = tick }
            return engine
        }
    }

    /// Takes `count` leases on the actor's behalf (a lease request, or the leasing waiters of a finished load).
    func lease(_ name: String, count: Int = 1) {
        state.withLock { state in
            state.tick += 1
            state.models[name]?.count(leases: count, tick: state.tick)
            state.models[name]?.lastUsedAt = Date()
        }
    }

    /// Marks the model used now without a lease (a load completing), for least-recently-used ordering.
    func touch(_ name: String) {
        state.withLock { state in
            state.tick += 1
            state.models[name]?.lastUseTick = state.tick
        }
    }

    /// Ends one lease.
    /// - Returns: `true` when the last lease ended while the fast path is closed: the actor must hear of it.
    func release(_ name: String) -> Bool {
        state.withLock { $0.models[name]?.release() } ?? false
    }

    /// Opens the fast path to a loaded engine.
    func open(_ name: String, id: ModelID, engine: any InferenceEngine) {
        state.withLock { $0.models[name]?.open = (id, engine) }
    }

    /// Closes the fast path; from now on every lease goes through the actor and the last one to end is reported.
    /// - Returns: The leases held now.
    @discardableResult
    func close(_ name: String) -> Int {
        state.withLock { state in
            state.models[name]?.open = nil
            return state.models[name]?.leases ?? 0
        }
    }

    /// Closes every model's fast path (a load waits for capacity, so every lease ending matters).
    func closeAll() {
        state.withLock { state in
            for name in state.models.keys { state.models[name]?.open = nil }
        }
    }
}
