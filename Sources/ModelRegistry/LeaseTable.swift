import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every model's lease count and use figures, behind one lock shared by the registry actor and lease holders, so
/// that leasing an already loaded model and ending a lease take no actor hop.
///
/// The actor opens a model's fast path (``open(_:id:engine:watchingIdleOn:)``) when it is loaded and nothing needs
/// to hear of each lease (no load waiting for capacity, a keep-alive other than `0`), and closes it before anything
/// that must see every lease: an unload (``close(_:)`` returns the leases it must drain), a capacity wait, a
/// keep-alive countdown that has come due (``closeForExpiry(_:)``). While the fast path is closed, leases are taken
/// on the actor and a lease ending at zero is reported to it (``release(_:)`` returns ``Release/lastLease``). So an
/// unload never runs under a lease, exactly as when every lease went through the actor.
///
/// A model with an idle keep-alive keeps its fast path open: the table then records when its last lease ended, on
/// the registry's clock (``Figures/idleSince``), and the countdown, which no lease cancels, checks that when it
/// comes due and starts again from it if the model was used meanwhile.
///
/// A version swap retires the old engine's leases (``retire(_:)``): they are counted apart, by load id, so the
/// new engine's leases start from zero and the last retired lease to end is reported (``Release/retiredDrained(_:)``)
/// for the actor to unload the old engine.
final class LeaseTable: Sendable {
    /// What ending a lease tells the actor.
    enum Release: Equatable {
        /// Nothing: other leases are held, or the fast path is open.
        case quiet
        /// The last lease of the current engine ended while the fast path is closed.
        case lastLease
        /// The last lease of a retired engine (the old version of a swap) ended: the actor unloads that engine.
        case retiredDrained(ModelID)
    }

    /// A model's lease figures. A class so that the hot path mutates it in place under the table's lock, without
    /// copying it out of the dictionary; never touched outside that lock (snapshots are ``Figures``).
    fileprivate final class Counter: @unchecked Sendable {
        // @unchecked: read and written only inside the table's `Locked` (see the class comment), which also makes
        // every access exclusive, hence `@exclusivity(unchecked)` on the fields the fast path touches: the runtime's
        // dynamic check of a class property (`swift_beginAccess`) is not free on that path.
        /// The engine fast leases get, while the fast path is open.
        @exclusivity(unchecked) var open: (id: ModelID, engine: any InferenceEngine)?
        /// Leases on the current engine.
        @exclusivity(unchecked) var leases = 0
        /// Leases still held on retired engines (old versions of swaps), by load id; usually empty.
        @exclusivity(unchecked) var retired: [ModelID: Int] = [:]
        @exclusivity(unchecked) var uses = 0
        /// The registry-wide use counter at the model's last lease: the lowest is the least recently used.
        @exclusivity(unchecked) var lastUseTick: UInt64 = 0
        /// When the last lease ended (or, while one is held, began).
        @exclusivity(unchecked) var lastUsedAt: Date?
        /// Set when the model is unregistered: leases that end later change nothing.
        @exclusivity(unchecked) var removed = false
        /// While the fast path is open for a model with an idle keep-alive: the clock lease ends are recorded on.
        @exclusivity(unchecked) var idleClock: RegistryClock?
        /// When the last lease ended, or when watching began; set exactly while `idleClock` is.
        @exclusivity(unchecked) var idleSince: Duration?

        func count(leases added: Int, tick: UInt64) {
            leases += added
            uses += added
            lastUseTick = tick
        }

        /// Counts a fast lease when the fast path is open; returns the load id and engine.
        func tryLease(tick: UInt64) -> (ModelID, any InferenceEngine)? {
            guard let open else { return nil }
            count(leases: 1, tick: tick)
            return open
        }

        /// Ends a lease taken on load `id`.
        func release(id: ModelID) -> Release {
            if !retired.isEmpty, let held = retired[id] {
                lastUsedAt = LeaseTable.now()
                guard held > 1 else {
                    retired.removeValue(forKey: id)
                    return .retiredDrained(id)
                }
                retired[id] = held - 1
                return .quiet
            }
            guard leases > 0 else { return .quiet }
            leases -= 1
            lastUsedAt = LeaseTable.now()
            if let idleClock { idleSince = idleClock.now }
            return leases == 0 && open == nil ? .lastLease : .quiet
        }

        var figures: Figures {
            Figures(
                leases: leases + retired.values.reduce(0, +), uses: uses, lastUseTick: lastUseTick,
                lastUsedAt: lastUsedAt, idleSince: idleSince)
        }

        /// Closes the fast path and stops watching idleness.
        func close() {
            open = nil
            idleClock = nil
            idleSince = nil
        }
    }

    /// The time for ``Figures/lastUsedAt``, read on every lease end. On Linux from the coarse real-time clock (a few
    /// nanoseconds, millisecond resolution: plenty for keep-alive and least-recently-used order) rather than the
    /// precise one `Date()` reads, on the hot path of a fast `withModel`.
    static func now() -> Date {
        #if os(Linux)
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        #else
        return Date()
        #endif
    }

    /// A snapshot of a model's lease figures.
    struct Figures {
        /// Leases held, on the current engine and on retired ones.
        var leases = 0
        var uses = 0
        /// The registry-wide use counter at the model's last lease: the lowest is the least recently used.
        var lastUseTick: UInt64 = 0
        /// When the last lease ended (or, while one is held, began).
        var lastUsedAt: Date?
        /// While the fast path watches an idle keep-alive: when, on the registry's clock, the last lease ended (or
        /// watching began); `nil` when lease ends reach the actor instead.
        var idleSince: Duration?
    }

    private struct State {
        var models: [String: Counter] = [:]
        var tick: UInt64 = 0
    }

    private let state = Locked(State())

    /// Adds a model (on registration).
    func add(_ name: String) { state.withLock { $0.models[name] = Counter() } }

    /// Removes a model (on unregistration); leases ended later are ignored.
    func remove(_ name: String) { state.withLock { $0.models.removeValue(forKey: name)?.removed = true } }

    /// A model's figures now.
    func figures(_ name: String) -> Figures {
        state.withLock { state in
            state.models[name]?.figures
        } ?? Figures()
    }

    /// A lease taken on the fast path: it holds the model's counter, so ending it needs no lookup by name.
    struct FastLease: Sendable {
        /// The load the lease is on.
        let id: ModelID
        /// That load's engine.
        let engine: any InferenceEngine
        fileprivate let counter: Counter
    }

    /// Takes a lease without the actor when the model's fast path is open.
    /// - Returns: The lease, or `nil` when the caller must go through the actor.
    func tryLease(_ name: String) -> FastLease? {
        state.withLock { state in
            guard let counter = state.models[name] else { return nil }
            let tick = state.tick &+ 1
            guard let (id, engine) = counter.tryLease(tick: tick) else { return nil }
            state.tick = tick
            return FastLease(id: id, engine: engine, counter: counter)
        }
    }

    /// Ends a lease taken on the fast path.
    /// - Returns: What the actor must hear of, if anything.
    func release(_ lease: FastLease) -> Release {
        state.withLock { _ in lease.counter.removed ? .quiet : lease.counter.release(id: lease.id) }
    }

    /// Takes `count` leases on the actor's behalf (a lease request, or the leasing waiters of a finished load).
    func lease(_ name: String, count: Int = 1) {
        state.withLock { state in
            state.tick += 1
            state.models[name]?.count(leases: count, tick: state.tick)
            state.models[name]?.lastUsedAt = LeaseTable.now()
        }
    }

    /// Marks the model used now without a lease (a load completing), for least-recently-used ordering.
    func touch(_ name: String) {
        state.withLock { state in
            state.tick += 1
            state.models[name]?.lastUseTick = state.tick
        }
    }

    /// Ends one lease taken on load `id`.
    /// - Returns: What the actor must hear of, if anything.
    func release(_ name: String, id: ModelID) -> Release {
        state.withLock { $0.models[name]?.release(id: id) } ?? .quiet
    }

    /// Retires the current engine's leases under load `id` (a version swap moved new leases to another engine):
    /// they are counted apart from now on, and the last to end is reported as ``Release/retiredDrained(_:)``.
    /// The fast path is closed; the actor opens it to the new engine.
    /// - Returns: The leases retired; when 0, nothing will be reported and the old engine can go at once.
    func retire(_ name: String, id: ModelID) -> Int {
        state.withLock { state in
            guard let counter = state.models[name] else { return 0 }
            counter.close()
            let held = counter.leases
            if held > 0 { counter.retired[id, default: 0] += held }
            counter.leases = 0
            return held
        }
    }

    /// Opens the fast path to a loaded engine.
    /// - Parameters:
    ///   - clock: For a model with an idle keep-alive, the clock to record lease ends on (see ``Figures/idleSince``);
    ///     watching begins now unless it already runs.
    func open(_ name: String, id: ModelID, engine: any InferenceEngine, watchingIdleOn clock: RegistryClock? = nil) {
        state.withLock { state in
            guard let counter = state.models[name] else { return }
            counter.open = (id, engine)
            guard let clock else {
                counter.idleClock = nil
                counter.idleSince = nil
                return
            }
            if counter.idleSince == nil { counter.idleSince = clock.now }
            counter.idleClock = clock
        }
    }

    /// Closes the fast path; from now on every lease goes through the actor and the last one to end is reported.
    /// - Returns: The leases held now.
    @discardableResult
    func close(_ name: String) -> Int {
        state.withLock { state in
            state.models[name]?.close()
            return state.models[name]?.leases ?? 0
        }
    }

    /// Closes the fast path for a keep-alive countdown that has come due, keeping what idleness watching has seen so
    /// that reopening it goes on from there.
    /// - Returns: The model's figures at the moment it closed.
    func closeForExpiry(_ name: String) -> Figures {
        state.withLock { state in
            guard let counter = state.models[name] else { return Figures() }
            counter.open = nil
            return counter.figures
        }
    }

    /// Closes every model's fast path (a load waits for capacity, so every lease ending matters).
    func closeAll() {
        state.withLock { state in
            for counter in state.models.values { counter.close() }
        }
    }
}
