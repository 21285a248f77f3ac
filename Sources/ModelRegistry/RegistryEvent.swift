public import Foundation

/// A lifecycle change of one model, published to every subscriber of ``ModelRegistry/events(bufferingPolicy:)``.
public struct RegistryEvent: Sendable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable {
        /// The model was added to the registry.
        case registered
        /// The model was removed from the registry.
        case unregistered
        /// A load began.
        case loadStarted
        /// A load completed, taking `duration`.
        case loaded(duration: Duration)
        /// A load failed; the error says why (including timeout and cancellation).
        case loadFailed(RegistryError)
        /// An unload began: no new leases; the registry waits for the held ones to end.
        case unloadStarted
        /// The engine unloaded and freed its resources.
        case unloaded
        /// An unload gave up (leases still held at its deadline); the model stays loaded.
        case unloadAborted(RegistryError)
        /// The model's health changed.
        case healthChanged(from: ModelHealth, to: ModelHealth)
        /// The registry is unloading the model on its own: its keep-alive expired, or room was needed.
        case evicted(reason: String)
        /// The model's configuration changed (the names of the changed settings).
        case configurationUpdated(fields: [String])
        /// A remote model's file began downloading, for a load or for ``ModelRegistry/download(_:)``.
        case downloadStarted(url: URL)
        /// Bytes of the model's file have arrived.
        case downloadProgress(DownloadProgress)
        /// The model's file is complete (size and checksum checked) at `path`.
        case downloaded(path: String)
        /// The model's download ended without a file (the error says why); a load it was for then fails too.
        case downloadFailed(RegistryError)
        /// ``ModelRegistry/deleteDownloaded(_:)`` deleted the model's file at `path`: it is `notDownloaded` again.
        case downloadDeleted(path: String)
        /// A load moved on: its phase, with the fraction done where the phase can tell (for a progress bar).
        case loadProgress(LoadProgress)
        /// A version swap began: `to` loads while `from` goes on serving (``VersionSwap/Mode/sideBySide``), or
        /// `from` drains and unloads first because both do not fit the memory budget
        /// (``VersionSwap/Mode/resourcePreserving``).
        case swapStarted(VersionSwap)
        /// New leases now go to the swap's new version; leases on the old one run to their end.
        case swapped(VersionSwap)
        /// The swap's new version failed to load or to warm up; the old version goes on serving (reloaded first
        /// in a resource-preserving swap).
        case swapFailed(VersionSwap, RegistryError)
        /// The old version of a swap drained its last lease and unloaded its engine.
        case retired(version: String?)
    }

    /// Increases by one for each event the registry publishes, so subscribers can spot dropped events.
    public var sequence: UInt64
    /// When the event was published.
    public var date: Date
    /// The model's public name.
    public var name: String
    /// The private id of the load the event belongs to; `nil` for events outside a load (registration).
    public var modelID: ModelID?
    /// The engine kind serving the model.
    public var engine: EngineKind
    /// The model's type.
    public var modelType: ModelType
    /// The catalog version the model serves (``ModelConfiguration/version``); `nil` when not versioned.
    public var version: String?
    /// What happened.
    public var kind: Kind

    /// A one-line summary, e.g. `#3 iris loaded (onnxruntime/classifier, id 1a2b3c4d)`.
    public var description: String {
        "#\(sequence) \(name)\(version.map { "@\($0)" } ?? "") \(kind.label) (\(engine)/\(modelType)\(modelID.map { ", id \($0)" } ?? ""))"
    }
}

extension RegistryEvent.Kind {
    /// A short name for the kind, with the detail that matters.
    public var label: String {
        switch self {
        case .registered: "registered"
        case .unregistered: "unregistered"
        case .loadStarted: "loadStarted"
        case .loaded(let duration): "loaded in \(duration)"
        case .loadFailed(let error): "loadFailed: \(error)"
        case .unloadStarted: "unloadStarted"
        case .unloaded: "unloaded"
        case .unloadAborted(let error): "unloadAborted: \(error)"
        case .healthChanged(let from, let to): "healthChanged \(from.label) → \(to.label)"
        case .evicted(let reason): "evicted: \(reason)"
        case .configurationUpdated(let fields): "configurationUpdated: \(fields.joined(separator: ", "))"
        case .downloadStarted(let url): "downloadStarted \(url)"
        case .downloadProgress(let progress): "downloadProgress \(progress)"
        case .downloaded(let path): "downloaded \(path)"
        case .downloadFailed(let error): "downloadFailed: \(error)"
        case .downloadDeleted(let path): "downloadDeleted \(path)"
        case .loadProgress(let progress): "loadProgress \(progress)"
        case .swapStarted(let swap): "swapStarted \(swap)"
        case .swapped(let swap): "swapped \(swap)"
        case .swapFailed(let swap, let error): "swapFailed \(swap): \(error)"
        case .retired(let version): "retired \(version ?? "previous version")"
        }
    }
}
