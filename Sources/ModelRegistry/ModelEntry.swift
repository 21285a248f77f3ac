import Foundation

/// The registry's private, mutable record of one model. Only ``ModelRegistry`` touches it.
struct ModelEntry {
    /// The lifecycle phase, with what each phase owns.
    enum Phase {
        case unloaded
        case loading(LoadAttempt)
        case loaded(id: ModelID, engine: any InferenceEngine)
        case unloading(id: ModelID, engine: any InferenceEngine, done: Task<Result<Void, RegistryError>, Never>)
        case failed(id: ModelID?, error: RegistryError)
    }

    /// One running load: its id, the engine being loaded, the task running `engine.load`, its timeout timer and the
    /// callers waiting for it.
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

    var configuration: ModelConfiguration
    /// Where the file of a remote model (`path` is an `http(s)` URL) is downloaded to; `nil` for local models.
    var downloadTo: DownloadRequest?
    var phase: Phase = .unloaded
    var health: ModelHealth = .unknown
    let registeredAt: Date
    var loadedAt: Date?
    var loadDuration: Duration?
    var loadCount = 0
    var failureCount = 0
    /// Unloads waiting for the model's leases (in the registry's ``LeaseTable``) to reach zero (resumed with `true` when drained, `false` at the deadline).
    let drainWaiters = WaiterQueue<Bool>()
    /// Lease requests waiting for an unload to end, to load the model again afterwards.
    let unloadWaiters = WaiterQueue<Void>()
    /// Set by `unregister` while it unloads the model: no new load starts, and waiting requests fail.
    var isUnregistering = false
    /// Bytes the loaded engine reported holding (or its estimate when it cannot tell).
    var memoryBytes: Int?
    /// Unloads the model when its keep-alive expires; cancelled when a lease begins.
    var idleTimer: Task<Void, Never>?
    /// Loads that failed in a row (reset by a successful load).
    var consecutiveFailures = 0
    /// The registry-clock time before which a failed model is not retried automatically.
    var retryNotBefore: Duration?

    init(configuration: ModelConfiguration, registeredAt: Date, downloadTo: DownloadRequest?) {
        self.configuration = configuration
        self.registeredAt = registeredAt
        self.downloadTo = downloadTo
    }

    /// The private id of the current or last load.
    var currentID: ModelID? {
        switch phase {
        case .unloaded: nil
        case .loading(let attempt): attempt.id
        case .loaded(let id, _), .unloading(let id, _, _): id
        case .failed(let id, _): id
        }
    }

    /// Bytes the model holds or has reserved: counted against the memory budget.
    var heldBytes: Int {
        switch phase {
        case .loaded, .unloading: memoryBytes ?? 0
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

    /// The public state for snapshots.
    var state: ModelState {
        switch phase {
        case .unloaded:
            guard let download = downloadTo else { return .unloaded }
            return FileManager.default.fileExists(atPath: download.destination.path) ? .downloaded : .notDownloaded
        case .loading(let attempt): return attempt.download.map { .downloading($0) } ?? .loading
        case .loaded: return .loaded
        case .unloading: return .unloading
        case .failed(_, let error): return .failed(error)
        }
    }

    /// A value snapshot of the entry, with its lease figures.
    func record(name: String, leases: LeaseTable.Figures) -> ModelRecord {
        ModelRecord(
            id: currentID, name: name, configuration: configuration, state: state, health: health,
            registeredAt: registeredAt, loadedAt: loadedAt, lastUsedAt: leases.lastUsedAt, useCount: leases.uses,
            activeLeases: leases.leases, loadDuration: loadDuration, loadCount: loadCount, failureCount: failureCount,
            consecutiveFailures: consecutiveFailures, memoryBytes: memoryBytes
        )
    }
}
