import Foundation

/// One model's whole lifecycle, as a pure synchronous state machine: the registry actor feeds it events and carries
/// out the actions it returns (start a load task, resume waiters, cancel timers, publish events). Nothing here
/// suspends, locks, or touches an engine, so every transition is unit-tested on its own.
///
/// ```text
///              request                    loadSucceeded
/// unloaded ──────────────▶ loading ─────────────────────────▶ loaded ──── request: use (lease)
///    ▲ ▲                    │ │ loadFailed (throws, timeout,     │ unloadRequested: startUnload
///    │ │  unloadRequested:  │ │ cancelLoad)                      ▼
///    │ └── cancelLoad ──────┘ ▼                               unloading ── request: waitForUnload
///    │                      failed ── request (after back-off) ──▶ loading
///    └── unloadRequested ───┘           unloadFinished(drained) ──▶ unloaded, or back to loaded when not drained
/// ```
///
/// Data valid in one phase only lives in that phase's associated value; an event that names a load (`id`) which is
/// no longer the current one returns `nil` or `.stale`, so the stale-attempt check is made here, once.
struct ModelLifecycle {
    enum Phase {
        case unloaded
        case loading(LoadAttempt)
        case loaded(Loaded)
        case unloading(Unloading)
        case failed(Failure)
    }

    /// One running load: the engine being loaded, the task running it, its timeout and the callers waiting.
    struct LoadAttempt {
        let id: ModelID
        let engine: any InferenceEngine
        let startedAt: ContinuousClock.Instant
        /// Bytes reserved for the model once it is admitted (room made, load slot held); `nil` before that.
        var reservedBytes: Int?
        /// The download's progress while the model's file is being downloaded.
        var download: DownloadProgress?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var waiters: [UInt64: LoadWaiter] = [:]
    }

    /// A caller waiting for a load; a `leasing` waiter gets a lease taken for it when the load completes, so a
    /// keep-alive of zero cannot unload the model before the caller uses it. When an unload cancels the load, a
    /// leasing waiter is resumed with ``LoadInterruptedByUnload`` and looks again (it loads the model anew).
    struct LoadWaiter {
        let continuation: LoadContinuation
        let leasing: Bool
    }

    struct Loaded {
        let id: ModelID
        let engine: any InferenceEngine
        let loadedAt: Date
        /// Bytes the engine reported holding (or its estimate when it cannot tell).
        let bytes: Int?
        /// Unloads the model when its keep-alive expires; cancelled when a lease begins.
        var idleTimer: Task<Void, Never>?
        /// A new version loading beside this engine (a side-by-side swap), while it goes on serving.
        var incoming: IncomingVersion?
    }

    /// The new version of a side-by-side swap, loading while the current engine serves.
    struct IncomingVersion {
        let id: ModelID
        let engine: any InferenceEngine
        let configuration: ModelConfiguration
        let swap: VersionSwap
        let startedAt: ContinuousClock.Instant
        /// Bytes reserved for it against the memory budget while it loads.
        let reservedBytes: Int
        var work: Task<Void, Never>?
    }

    struct Unloading {
        let loaded: Loaded
        let done: Task<Result<Void, RegistryError>, Never>
    }

    struct Failure {
        let id: ModelID?
        let error: RegistryError
        /// The registry-clock time before which the model is not retried automatically.
        var retryNotBefore: Duration?
    }

    private(set) var phase: Phase = .unloaded
    private(set) var loadCount = 0
    private(set) var failureCount = 0
    /// Loads that failed in a row (reset by a successful load).
    private(set) var consecutiveFailures = 0
    private(set) var loadDuration: Duration?
    /// The task of the last load that was settled before it finished (cancelled, timed out, or cancelled by an
    /// unload), or of the last side-by-side swap cancelled while its new version loaded (by an unload or a newer
    /// swap): its engine may still be loading, since a native load cannot stop midway. The next load or swap waits
    /// for it (``takeAbandonedWork()``), so a model never has two native loads at once, however often loads and
    /// swaps are cancelled. Each load or swap waits for the abandoned work it took before it loads, so waiting for
    /// the last one waits for them all.
    private(set) var abandonedWork: Task<Void, Never>?
    /// The bytes reserved by each abandoned load or swap (by its id) whose work has not ended: its engine may still
    /// be loading, or be loaded until the work unloads it, so they stay counted against the memory budget until the
    /// work reports its end (``workEnded(_:)``), even after the next load took the work to wait for.
    private(set) var abandonedBytes: [ModelID: Int] = [:]

    // MARK: - Reading

    /// The private id of the current or last load.
    var currentID: ModelID? {
        switch phase {
        case .unloaded: nil
        case .loading(let attempt): attempt.id
        case .loaded(let loaded): loaded.id
        case .unloading(let unloading): unloading.loaded.id
        case .failed(let failure): failure.id
        }
    }

    /// The loaded engine, while the model is loaded (not while it unloads).
    var loaded: Loaded? { if case .loaded(let loaded) = phase { loaded } else { nil } }

    /// The current load, while one runs.
    var attempt: LoadAttempt? { if case .loading(let attempt) = phase { attempt } else { nil } }

    /// Whether an engine has the model's configuration in use: a load under way (downloading its file, waiting for
    /// admission, loading or warming up), loaded, or unloading. Decided on the phase, not the public state, which
    /// reports a downloading load as `downloading`.
    var engineInUse: Bool {
        switch phase {
        case .loading, .loaded, .unloading: true
        case .unloaded, .failed: false
        }
    }

    /// Bytes the model holds or has reserved, including those of abandoned loads and swaps whose work has not ended:
    /// counted against the memory budget.
    var heldBytes: Int { phaseBytes + abandonedBytes.values.reduce(0, +) }

    /// Bytes held or reserved by the current phase.
    private var phaseBytes: Int {
        switch phase {
        case .loaded(let loaded): (loaded.bytes ?? 0) + (loaded.incoming?.reservedBytes ?? 0)
        case .unloading(let unloading): unloading.loaded.bytes ?? 0
        case .loading(let attempt): attempt.reservedBytes ?? 0
        case .unloaded, .failed: 0
        }
    }

    /// Whether the model occupies a slot of `maxLoadedModels` (loaded, unloading, or admitted to load).
    var occupiesSlot: Bool {
        switch phase {
        case .loaded, .unloading: true
        case .loading(let attempt): attempt.reservedBytes != nil
        case .unloaded, .failed: false
        }
    }

    /// The public state; `downloaded` tells a remote model's unloaded state apart (`nil` for local models).
    func state(downloaded: Bool?) -> ModelState {
        switch phase {
        case .unloaded:
            guard let downloaded else { return .unloaded }
            return downloaded ? .downloaded : .notDownloaded
        case .loading(let attempt): return attempt.download.map { .downloading($0) } ?? .loading
        case .loaded: return .loaded
        case .unloading: return .unloading
        case .failed(let failure): return .failed(failure.error)
        }
    }

    // MARK: - Requests

    /// What a caller that wants the model loaded (and, when `leasing`, leased) must do.
    enum RequestAction {
        /// Loaded: use this engine. `cancel` is the keep-alive countdown a lease stops.
        case use(id: ModelID, engine: any InferenceEngine, cancel: Task<Void, Never>?)
        /// Unloading: wait for `done`, then ask again.
        case waitForUnload(Task<Result<Void, RegistryError>, Never>)
        /// A load runs: join it.
        case join(ModelID)
        /// Nothing runs: create the engine and report ``loadStarted(_:)`` or ``engineCreationFailed(_:)``.
        case startLoad
        /// Failed and still backing off.
        case refuse(retryIn: Duration, failures: Int, lastError: RegistryError)
    }

    /// A caller asks for the model at registry-clock time `now`. A lease cancels the keep-alive countdown unless
    /// `keepingIdleTimer` (the countdown then checks the leases when due, see ``LeaseTable``).
    mutating func request(leasing: Bool, now: Duration, keepingIdleTimer: Bool = false) -> RequestAction {
        switch phase {
        case .loaded(var loaded):
            guard leasing, !keepingIdleTimer else { return .use(id: loaded.id, engine: loaded.engine, cancel: nil) }
            let timer = loaded.idleTimer
            loaded.idleTimer = nil
            phase = .loaded(loaded)
            return .use(id: loaded.id, engine: loaded.engine, cancel: timer)
        case .unloading(let unloading): return .waitForUnload(unloading.done)
        case .loading(let attempt): return .join(attempt.id)
        case .unloaded: return .startLoad
        case .failed(let failure):
            if let notBefore = failure.retryNotBefore, now < notBefore {
                return .refuse(retryIn: notBefore - now, failures: consecutiveFailures, lastError: failure.error)
            }
            return .startLoad
        }
    }

    /// Skips a failed model's back-off (``ModelRegistry/retry(_:timeout:)``).
    mutating func clearBackoff() {
        guard case .failed(var failure) = phase else { return }
        failure.retryNotBefore = nil
        phase = .failed(failure)
    }

    // MARK: - Loading

    /// A load begins (after ``RequestAction/startLoad``).
    mutating func loadStarted(_ attempt: LoadAttempt) {
        switch phase {
        case .unloaded, .failed: phase = .loading(attempt)
        case .loading, .loaded, .unloading: preconditionFailure("a load cannot start while \(phase)")
        }
    }

    /// The task of the last abandoned load or swap (see ``abandonedWork``), for the load or swap starting now to
    /// wait for; `nil` afterwards.
    mutating func takeAbandonedWork() -> Task<Void, Never>? {
        defer { abandonedWork = nil }
        return abandonedWork
    }

    /// The load or swap `id` is abandoned with its `work`: the next load or swap waits for it, and the bytes it had
    /// reserved (`nil`: not admitted yet, so it loads nothing) stay counted until the work ends.
    private mutating func abandon(_ work: Task<Void, Never>?, id: ModelID, reservedBytes: Int?) {
        abandonedWork = work
        if let reservedBytes, reservedBytes > 0 { abandonedBytes[id] = reservedBytes }
    }

    /// The work of load or swap `id` ended (its engine loaded and unloaded, failed, or never started). Returns whether
    /// bytes counted for it as abandoned work were released, so that loads waiting for capacity look again.
    mutating func workEnded(_ id: ModelID) -> Bool {
        abandonedBytes.removeValue(forKey: id) != nil
    }

    /// The factory could not create an engine: the model fails without a load id.
    mutating func engineCreationFailed(_ error: RegistryError) {
        failureCount += 1
        phase = .failed(Failure(id: nil, error: error))
    }

    /// Whether `id` is the load running now.
    func isCurrentLoad(_ id: ModelID) -> Bool { attempt?.id == id }

    /// Adds a waiter to the load `id`; returns `false` when that load is no longer running.
    mutating func addWaiter(_ waiter: LoadWaiter, key: UInt64, toLoad id: ModelID) -> Bool {
        updateAttempt(id) { $0.waiters[key] = waiter }
    }

    /// Removes a waiter of the load `id` (its caller was cancelled).
    @discardableResult
    mutating func removeWaiter(_ key: UInt64, fromLoad id: ModelID) -> LoadWaiter? {
        var removed: LoadWaiter?
        _ = updateAttempt(id) { removed = $0.waiters.removeValue(forKey: key) }
        return removed
    }

    /// Records the download progress of load `id`; returns `false` when that load is no longer running.
    mutating func downloadProgressed(_ progress: DownloadProgress?, load id: ModelID) -> Bool {
        updateAttempt(id) { $0.download = progress }
    }

    /// Whether load `id` is downloading now (it has reported progress).
    func isDownloading(_ id: ModelID) -> Bool { attempt.map { $0.id == id && $0.download != nil } ?? false }

    /// Load `id` is admitted with `bytes` reserved; returns `false` when that load is no longer running.
    mutating func admitted(bytes: Int, load id: ModelID) -> Bool {
        updateAttempt(id) { $0.reservedBytes = bytes }
    }

    /// Stores the tasks of load `id` (its work and timeout).
    mutating func setTasks(work: Task<Void, Never>?, timer: Task<Void, Never>?, load id: ModelID) {
        _ = updateAttempt(id) { attempt in
            attempt.work = work
            attempt.timer = timer
        }
    }

    /// What a settled load hands the actor: the waiters to resume and the load's tasks to cancel.
    struct SettledLoad {
        let id: ModelID
        let engine: any InferenceEngine
        let waiters: [LoadWaiter]
        let work: Task<Void, Never>?
        let timer: Task<Void, Never>?
    }

    /// Load `id`'s engine loaded; returns `nil` when that load was already settled (the actor unloads the engine).
    mutating func loadSucceeded(
        load id: ModelID, reportedBytes: Int?, at now: ContinuousClock.Instant, date: Date
    ) -> SettledLoad? {
        guard let attempt, attempt.id == id else { return nil }
        loadCount += 1
        consecutiveFailures = 0
        loadDuration = attempt.startedAt.duration(to: now)
        phase = .loaded(Loaded(
            id: id, engine: attempt.engine, loadedAt: date, bytes: reportedBytes ?? attempt.reservedBytes))
        return SettledLoad(
            id: attempt.id, engine: attempt.engine, waiters: Array(attempt.waiters.values), work: attempt.work, timer: attempt.timer)
    }

    /// Load `id` failed (threw, timed out or was cancelled) at registry-clock time `now`; returns `nil` when that
    /// load was already settled. A cancelled load sets no back-off.
    mutating func loadFailed(
        load id: ModelID, error: RegistryError, now: Duration, backoff: RetryBackoff
    ) -> SettledLoad? {
        guard let attempt, attempt.id == id else { return nil }
        failureCount += 1
        consecutiveFailures += 1
        var failure = Failure(id: id, error: error)
        if case .loadCancelled = error {} else {
            failure.retryNotBefore = now + backoff.delay(afterFailures: consecutiveFailures)
        }
        phase = .failed(failure)
        abandon(attempt.work, id: attempt.id, reservedBytes: attempt.reservedBytes)
        return SettledLoad(
            id: attempt.id, engine: attempt.engine, waiters: Array(attempt.waiters.values), work: attempt.work, timer: attempt.timer)
    }

    // MARK: - Keep-alive

    /// Sets the keep-alive countdown of load `id`; returns the countdown it replaces (to cancel), or the new one
    /// itself when the model is no longer that load (to cancel as well).
    mutating func setIdleTimer(_ timer: Task<Void, Never>?, load id: ModelID) -> Task<Void, Never>? {
        guard case .loaded(var loaded) = phase, loaded.id == id else { return timer }
        let previous = loaded.idleTimer
        loaded.idleTimer = timer
        phase = .loaded(loaded)
        return previous
    }

    // MARK: - Version swaps

    /// A side-by-side swap begins loading `incoming` beside the loaded engine. Returns the swap it replaces (to
    /// cancel), if one was running: that swap's work becomes ``abandonedWork``, for `incoming` to take and wait for.
    mutating func swapStarted(_ incoming: IncomingVersion) -> IncomingVersion? {
        guard case .loaded(var loaded) = phase else { preconditionFailure("a swap cannot start while \(phase)") }
        let replaced = loaded.incoming
        loaded.incoming = incoming
        phase = .loaded(loaded)
        if let replaced { abandon(replaced.work, id: replaced.id, reservedBytes: replaced.reservedBytes) }
        return replaced
    }

    /// Stores the task loading swap `id`.
    mutating func setSwapWork(_ work: Task<Void, Never>, swap id: ModelID) {
        guard case .loaded(var loaded) = phase, loaded.incoming?.id == id else { return }
        loaded.incoming?.work = work
        phase = .loaded(loaded)
    }

    /// Swap `id`'s new version loaded: it becomes the loaded engine. Returns the old one (to drain and unload) and
    /// the new version's configuration; `nil` when the swap was cancelled or replaced meanwhile (free the engine).
    mutating func swapSucceeded(
        swap id: ModelID, reportedBytes: Int?, at now: ContinuousClock.Instant, date: Date
    ) -> (old: Loaded, incoming: IncomingVersion)? {
        guard case .loaded(var old) = phase, let incoming = old.incoming, incoming.id == id else { return nil }
        old.incoming = nil
        loadCount += 1
        loadDuration = incoming.startedAt.duration(to: now)
        phase = .loaded(Loaded(
            id: id, engine: incoming.engine, loadedAt: date, bytes: reportedBytes ?? incoming.reservedBytes))
        return (old, incoming)
    }

    /// Swap `id`'s load ended without a new engine (it failed, or its caller was cancelled): the loaded engine goes
    /// on serving. Returns the swap, or `nil` when it is no longer the running one.
    @discardableResult
    mutating func swapEnded(swap id: ModelID) -> IncomingVersion? {
        takeIncoming { $0.id == id }
    }

    /// An unload cancels the swap still loading, if one is: the loaded engine goes on serving until it unloads, and
    /// the swap's work becomes ``abandonedWork`` (its new version may still be loading). Returns the swap (to cancel).
    mutating func swapCancelled() -> IncomingVersion? {
        guard let incoming = takeIncoming({ _ in true }) else { return nil }
        abandon(incoming.work, id: incoming.id, reservedBytes: incoming.reservedBytes)
        return incoming
    }

    /// Takes the loaded model's swap out of it, when it has one that `matches`.
    private mutating func takeIncoming(_ matches: (IncomingVersion) -> Bool) -> IncomingVersion? {
        guard case .loaded(var loaded) = phase, let incoming = loaded.incoming, matches(incoming) else { return nil }
        loaded.incoming = nil
        phase = .loaded(loaded)
        return incoming
    }

    // MARK: - Unloading

    /// What an unload request must do.
    enum UnloadAction {
        /// Nothing is loaded (a failed model is reset to unloaded).
        case none
        /// A load ran: it is cancelled (the model is now unloaded); resume its waiters, cancel its tasks.
        case cancelledLoad(SettledLoad, error: RegistryError)
        /// Join the unload already under way.
        case join(Task<Result<Void, RegistryError>, Never>)
        /// Loaded: start the unload and report it with ``unloadStarted(_:)``; `cancel` is the keep-alive countdown.
        case startUnload(id: ModelID, engine: any InferenceEngine, cancel: Task<Void, Never>?)
    }

    /// Someone asks for the model to be unloaded; `cancellation` is the error a running load ends with.
    mutating func unloadRequested(cancellation: RegistryError) -> UnloadAction {
        switch phase {
        case .unloaded: return .none
        case .failed:
            phase = .unloaded
            return .none
        case .loading(let attempt):
            failureCount += 1
            consecutiveFailures += 1
            phase = .unloaded
            abandon(attempt.work, id: attempt.id, reservedBytes: attempt.reservedBytes)
            let settled = SettledLoad(
                id: attempt.id, engine: attempt.engine, waiters: Array(attempt.waiters.values), work: attempt.work,
                timer: attempt.timer)
            return .cancelledLoad(settled, error: cancellation)
        case .unloading(let unloading): return .join(unloading.done)
        case .loaded(let loaded): return .startUnload(id: loaded.id, engine: loaded.engine, cancel: loaded.idleTimer)
        }
    }

    /// The unload after ``UnloadAction/startUnload(id:engine:cancel:)`` runs as `done`.
    mutating func unloadStarted(_ done: Task<Result<Void, RegistryError>, Never>) {
        guard case .loaded(var loaded) = phase else { preconditionFailure("an unload cannot start while \(phase)") }
        loaded.idleTimer = nil
        phase = .unloading(Unloading(loaded: loaded, done: done))
    }

    /// The unload ended: `drained` (leases ended, engine unloaded) makes the model unloaded; otherwise it stays
    /// loaded. Returns the load's id, or `nil` when no unload ran.
    @discardableResult
    mutating func unloadFinished(drained: Bool) -> ModelID? {
        guard case .unloading(let unloading) = phase else { return nil }
        phase = drained ? .unloaded : .loaded(unloading.loaded)
        return unloading.loaded.id
    }

    // MARK: - Helpers

    private mutating func updateAttempt(_ id: ModelID, _ change: (inout LoadAttempt) -> Void) -> Bool {
        guard case .loading(var attempt) = phase, attempt.id == id else { return false }
        change(&attempt)
        phase = .loading(attempt)
        return true
    }
}

typealias LoadContinuation = CheckedContinuation<any InferenceEngine, any Error>

/// Resumes a leasing load waiter whose load an unload cancelled: the request looks again instead of failing.
struct LoadInterruptedByUnload: Error {}
