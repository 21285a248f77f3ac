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
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var waiters: [UInt64: LoadContinuation] = [:]
    }

    var configuration: ModelConfiguration
    var phase: Phase = .unloaded
    var health: ModelHealth = .unknown
    let registeredAt: Date
    var loadedAt: Date?
    var lastUsedAt: Date?
    var useCount = 0
    var activeLeases = 0
    var loadDuration: Duration?
    var loadCount = 0
    var failureCount = 0
    /// Unloads waiting for `activeLeases` to reach zero.
    var drainWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]

    init(configuration: ModelConfiguration, registeredAt: Date) {
        self.configuration = configuration
        self.registeredAt = registeredAt
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

    /// The public state for snapshots.
    var state: ModelState {
        switch phase {
        case .unloaded: .unloaded
        case .loading: .loading
        case .loaded: .loaded
        case .unloading: .unloading
        case .failed(_, let error): .failed(error)
        }
    }

    /// A value snapshot of the entry.
    func record(name: String) -> ModelRecord {
        ModelRecord(
            id: currentID, name: name, configuration: configuration, state: state, health: health,
            registeredAt: registeredAt, loadedAt: loadedAt, lastUsedAt: lastUsedAt, useCount: useCount,
            activeLeases: activeLeases, loadDuration: loadDuration, loadCount: loadCount, failureCount: failureCount
        )
    }
}
