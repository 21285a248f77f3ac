import Foundation

/// The registry's private, mutable record of one model: its configuration, its ``ModelLifecycle`` and what the
/// registry keeps beside it. Only ``ModelRegistry`` touches it.
struct ModelEntry {
    var configuration: ModelConfiguration
    /// Where the file of a remote model (`path` is an `http(s)` URL) is downloaded to; `nil` for local models.
    var downloadTo: DownloadRequest? {
        didSet { isDownloaded = downloadTo.map { FileManager.default.fileExists(atPath: $0.destination.path) } }
    }
    /// Whether a remote model's file is downloaded: probed when the destination is set, then tracked (a finished
    /// download sets it), so reading the state does no file I/O. `nil` for local models.
    var isDownloaded: Bool?
    /// The progress of the model's download while one runs, for a load or for ``ModelRegistry/download(_:)``: the
    /// download manager shares one transfer between them, and this keeps their events single too.
    var downloadProgress: DownloadProgress?
    /// Callers waiting for that download.
    var downloadCallers = 0
    /// Calls of ``ModelRegistry/download(_:)`` under way (downloading or verifying the file): while any runs,
    /// ``ModelRegistry/deleteDownloaded(_:)`` refuses.
    var fileRequests = 0
    var lifecycle = ModelLifecycle()
    var health: ModelHealth = .unknown
    let registeredAt: Date
    /// Unloads waiting for the model's leases (in the registry's ``LeaseTable``) to reach zero (resumed with `true`
    /// when drained, `false` at the deadline).
    let drainWaiters = WaiterQueue<Bool>()
    /// Lease requests waiting for an unload to end, to load the model again afterwards.
    let unloadWaiters = WaiterQueue<Void>()
    /// Set by `unregister` while it unloads the model: no new load starts, and waiting requests fail.
    var isUnregistering = false
    /// Old versions of swaps whose leases have not all ended yet, by load id: unloaded when the last one ends.
    var retiring: [ModelID: RetiringVersion] = [:]
    /// The catalog and catalog name the model's version came from (``ModelRegistry/useVersion(_:version:from:as:configure:)``), where
    /// the memory it is seen to use is recorded.
    var catalog: CatalogSource?

    /// Bytes counted against the memory budget: what the lifecycle holds or reserves, and retiring old versions.
    var heldBytes: Int { lifecycle.heldBytes + retiring.values.reduce(0) { $0 + ($1.loaded.bytes ?? 0) } }

    init(configuration: ModelConfiguration, registeredAt: Date, downloadTo: DownloadRequest?) {
        self.configuration = configuration
        self.registeredAt = registeredAt
        self.downloadTo = downloadTo
        isDownloaded = downloadTo.map { FileManager.default.fileExists(atPath: $0.destination.path) }
    }

    /// The public state for snapshots: a model that is not loading shows the progress of a download
    /// ``ModelRegistry/download(_:)`` runs for it.
    var state: ModelState {
        switch lifecycle.phase {
        case .unloaded, .failed: if let downloadProgress { return .downloading(downloadProgress) }
        case .loading, .loaded, .unloading: break
        }
        return lifecycle.state(downloaded: isDownloaded)
    }

    /// A value snapshot of the entry, with its lease figures.
    func record(name: String, leases: LeaseTable.Figures) -> ModelRecord {
        let loaded: ModelLifecycle.Loaded? = switch lifecycle.phase {
        case .loaded(let loaded): loaded
        case .unloading(let unloading): unloading.loaded
        case .unloaded, .loading, .failed: nil
        }
        return ModelRecord(
            id: lifecycle.currentID, name: name, configuration: configuration, state: state, health: health,
            registeredAt: registeredAt, loadedAt: loaded?.loadedAt, lastUsedAt: leases.lastUsedAt,
            useCount: leases.uses, activeLeases: leases.leases, loadDuration: lifecycle.loadDuration,
            loadCount: lifecycle.loadCount, failureCount: lifecycle.failureCount,
            consecutiveFailures: lifecycle.consecutiveFailures, memoryBytes: loaded?.bytes)
    }
}

/// The old version of a swap, draining its leases before it unloads.
struct RetiringVersion {
    let loaded: ModelLifecycle.Loaded
    /// Its version label, for the ``RegistryEvent/Kind/retired(version:)`` event.
    let version: String
}
