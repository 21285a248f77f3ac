public import Foundation

/// A snapshot of one model's record in the registry: identity, state, timestamps and statistics.
///
/// Records are values: take a fresh one with ``ModelRegistry/record(of:)`` to see later changes. The engine itself is
/// never part of a record; reach it through a lease (``ModelRegistry/withModel(_:isolation:_:)``).
public struct ModelRecord: Sendable {
    /// The private id of the current (or last) load; `nil` before the first load.
    public var id: ModelID?
    /// The public name callers use.
    public var name: String
    /// The model's configuration.
    public var configuration: ModelConfiguration
    /// Where the model is in its lifecycle.
    public var state: ModelState
    /// The latest health the engine reported.
    public var health: ModelHealth
    /// When the model was registered.
    public var registeredAt: Date
    /// When the current load completed; `nil` when not loaded.
    public var loadedAt: Date?
    /// When a lease on the model last began or ended; `nil` if never used.
    public var lastUsedAt: Date?
    /// How many leases have been taken on the model, over all its loads.
    public var useCount: Int
    /// Leases held right now.
    public var activeLeases: Int
    /// How long the last successful load took.
    public var loadDuration: Duration?
    /// Loads that succeeded, over the registry's life.
    public var loadCount: Int
    /// Loads that failed (including timeouts and cancellations).
    public var failureCount: Int
    /// Loads that failed in a row; the retry back-off grows with it.
    public var consecutiveFailures: Int
    /// Bytes the loaded engine reports holding (its estimate from the file size when it cannot tell).
    public var memoryBytes: Int?

    /// The engine kind serving the model.
    public var engine: EngineKind { configuration.engine }
    /// The model's type.
    public var modelType: ModelType { configuration.modelType }
}
