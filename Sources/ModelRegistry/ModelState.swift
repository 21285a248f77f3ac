/// Where a model is in its lifecycle.
///
/// Remote models start `notDownloaded`, and their load downloads first: `downloading(progress)`, then `loading`;
/// once unloaded they are `downloaded`. ``ModelRegistry/download(_:)`` takes them from `notDownloaded` through
/// `downloading` to `downloaded` without a load, and ``ModelRegistry/deleteDownloaded(_:)`` back.
///
/// ```text
///              load()                  engine.load succeeds
/// unloaded ──────────▶ loading ──────────────────────────▶ loaded
///    ▲                    │ throws / times out / cancelled    │ unload(): waits for leases
///    │                    ▼                                   ▼
///    │                 failed ──── load() retries ──▶      unloading ──▶ unloaded
///    └──────────────────────────────────────────────────────────────────────┘
/// ```
public enum ModelState: Sendable, CustomStringConvertible {
    /// Registered, not loaded (also the state after an unload).
    case unloaded
    /// A remote model (its `path` is an `http(s)` URL) whose file is not downloaded yet.
    case notDownloaded
    /// A remote model's file is being downloaded, as the first step of its load or for ``ModelRegistry/download(_:)``.
    case downloading(DownloadProgress)
    /// A remote model whose file is downloaded, not loaded.
    case downloaded
    /// A load is running; callers that ask for the model share it.
    case loading
    /// Loaded and serving leases.
    case loaded
    /// Waiting for leases to end before the engine unloads; no new leases are handed out.
    case unloading
    /// The last load failed; the error says why. Loading again retries.
    case failed(RegistryError)

    /// A state without its associated values, for comparing states as typed values.
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case unloaded, notDownloaded, downloading, downloaded, loading, loaded, unloading, failed

        /// The raw value, e.g. `notDownloaded`.
        public var description: String { rawValue }
    }

    /// The state without its associated values.
    public var kind: Kind {
        switch self {
        case .unloaded: .unloaded
        case .notDownloaded: .notDownloaded
        case .downloading: .downloading
        case .downloaded: .downloaded
        case .loading: .loading
        case .loaded: .loaded
        case .unloading: .unloading
        case .failed: .failed
        }
    }

    /// The kind's name for display (`unloaded`, `loading`, `loaded`, …); compare ``kind`` instead.
    public var label: String { kind.rawValue }

    /// The label, and the error for a failed model.
    public var description: String {
        switch self {
        case .failed(let error): return "failed: \(error)"
        case .downloading(let progress): return "downloading \(progress)"
        default: return label
        }
    }

    /// Whether the model is loaded.
    public var isLoaded: Bool { if case .loaded = self { true } else { false } }

    /// Whether the last load failed.
    public var isFailed: Bool { if case .failed = self { true } else { false } }
}
