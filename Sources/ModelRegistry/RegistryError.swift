public import Foundation

/// Everything the registry, its configuration, its catalog and its workers can throw. Each message names the
/// model (and file or field where there is one) and says what to do next.
public enum RegistryError: Error, Sendable, CustomStringConvertible, LocalizedError {
    // MARK: Models
    /// No model has this name; `available` lists the names that exist.
    case modelNotFound(name: String, available: [String])
    /// A model with this name is already registered.
    case modelAlreadyRegistered(name: String)
    /// No engine type is registered for the model's (engine, model type) pair.
    case engineNotRegistered(model: String, pair: EnginePair, registered: [EnginePair])
    /// The model was unregistered while the request waited for it.
    case unregistered(name: String)
    /// The engine threw while loading.
    case loadFailed(name: String, underlying: any Error)
    /// The model's file could not be downloaded (the download error names the URL and the cause).
    case downloadFailed(name: String, underlying: DownloadError)
    /// The load took longer than its timeout.
    case loadTimedOut(name: String, after: Duration)
    /// The load was cancelled.
    case loadCancelled(name: String)
    /// Unloading waited for leases to end, but some were still held at the deadline; the model stays loaded.
    case leasesStillHeld(name: String, count: Int, waited: Duration)
    /// A lease asked for an engine type the model does not have.
    case engineTypeMismatch(name: String, expected: String, actual: String)
    /// No default model is configured.
    case noDefaultModel(available: [String])
    /// The model failed recently and its retry back-off has not passed; ``ModelRegistry/retry(_:)`` skips it.
    case retryCooldown(name: String, retryIn: Duration, failures: Int, lastError: String)
    /// The model does not fit within `maxLoadedModels` or the memory budget, and nothing can be evicted in time.
    case insufficientCapacity(name: String, needed: Int, reason: String, holders: [CapacityHolder])
    /// The change touches settings the loaded engine has already used; pass `reload: true` to reload with it.
    case reloadRequired(name: String, fields: [String])

    // MARK: Configuration
    /// A configuration file could not be read, parsed, or has a bad or missing field.
    case invalidConfiguration(file: String, model: String?, field: String?, reason: String)

    // MARK: Catalog
    /// The catalog already holds this version of the model.
    case versionAlreadyExists(name: String, version: String)
    /// The catalog has no such version; `available` lists the versions it has.
    case versionNotFound(name: String, version: String, available: [String])
    /// The catalog has no production version of the model.
    case noProductionVersion(name: String, available: [String])
    /// A version string is not `major.minor.patch`.
    case invalidVersion(String)
    /// The catalog file exists but cannot be decoded; it was left untouched.
    case corruptCatalog(file: String, reason: String)
    /// Reading, writing or locking a file failed.
    case fileSystem(path: String, operation: String, reason: String)

    // MARK: Workers
    /// No workers serve the model (it is not loaded, or its workers stopped).
    case noWorkers(name: String, running: [String])
    /// The model's worker queue is full and the request was rejected.
    case queueFull(name: String, capacity: Int)
    /// The request was dropped from the queue because its model is unloading.
    case requestCancelledByUnload(name: String)

    // MARK: Model files and parameters
    /// A model's `parameters` has a key its engine does not read (a typo such as `graphOptimisation` would
    /// otherwise be ignored); `known` lists the keys the engine reads.
    case unknownParameter(model: String, key: String, engine: EngineKind, known: [String])
    /// The downloaded file of a remote model cannot be deleted while `holder` (the model itself, or another model
    /// with the same URL, which shares the file) is in `state` or holds `leases` leases.
    case downloadInUse(name: String, path: String, holder: String, state: ModelState.Kind, leases: Int)
    /// The model's `path` is local, not an `http(s)` URL: the registry deletes only files it downloaded.
    case notRemote(name: String, path: String)
    /// A remote model's file on disk no longer has the configured SHA-256; the file was deleted, so the model is
    /// `notDownloaded` and its next load or ``ModelRegistry/download(_:)`` fetches it again.
    case checksumMismatch(name: String, path: String, expected: String, actual: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .modelNotFound(let name, let available):
            "model \"\(name)\" not found; available: \(Self.list(available))"
        case .modelAlreadyRegistered(let name):
            "model \"\(name)\" is already registered; unregister it first or choose another name"
        case .engineNotRegistered(let model, let pair, let registered):
            "model \"\(model)\": no engine registered for \(pair); registered: \(Self.list(registered.map(\.description)))"
        case .unregistered(let name):
            "model \"\(name)\" was unregistered while the request waited for it; register it again to use it"
        case .loadFailed(let name, let underlying):
            "model \"\(name)\" failed to load: \(underlying); fix the cause, then call retry(\"\(name)\")"
        case .downloadFailed(let name, let underlying):
            "model \"\(name)\" could not be downloaded: \(underlying); check the URL and the network, then call retry(\"\(name)\")"
        case .loadTimedOut(let name, let after):
            "model \"\(name)\" did not load within \(after); raise loadTimeoutSeconds or check the model file"
        case .loadCancelled(let name):
            "loading model \"\(name)\" was cancelled; call load(\"\(name)\") to try again"
        case .leasesStillHeld(let name, let count, let waited):
            "model \"\(name)\" stays loaded: \(count) lease(s) still held after waiting \(waited) for them to end"
        case .engineTypeMismatch(let name, let expected, let actual):
            "model \"\(name)\" runs on \(actual), not \(expected)"
        case .noDefaultModel(let available):
            "no default model is configured; set \"defaultModel\" to one of: \(Self.list(available))"
        case .retryCooldown(let name, let retryIn, let failures, let lastError):
            "model \"\(name)\" failed \(failures) time(s) in a row (last: \(lastError)); it can be retried in "
                + "\(retryIn.formatted(.units(allowed: [.seconds, .milliseconds]))), or now with retry(\"\(name)\")"
        case .insufficientCapacity(let name, let needed, let reason, let holders):
            "cannot load model \"\(name)\" (needs about \(needed) bytes): \(reason); held by: "
                + "\(Self.list(holders.map(\.description))). Unload a model, raise the limit, or retry later"
        case .reloadRequired(let name, let fields):
            "model \"\(name)\" is loaded and \(fields.joined(separator: ", ")) cannot change without a reload; "
                + "pass reload: true to reload it with the new configuration"
        case .invalidConfiguration(let file, let model, let field, let reason):
            "configuration \(file)" + (model.map { ", model \"\($0)\"" } ?? "")
                + (field.map { ", field \"\($0)\"" } ?? "") + ": \(reason)"
        case .versionAlreadyExists(let name, let version):
            "catalog already holds \(name) \(version); register a new version number"
        case .versionNotFound(let name, let version, let available):
            "catalog has no \(name) \(version); versions: \(Self.list(available))"
        case .noProductionVersion(let name, let available):
            "catalog has no production version of \(name); promote one of: \(Self.list(available))"
        case .invalidVersion(let text):
            "\"\(text)\" is not a version; write major.minor.patch, e.g. 1.2.0"
        case .corruptCatalog(let file, let reason):
            "catalog \(file) cannot be read (\(reason)); it was left untouched: repair or move it away"
        case .fileSystem(let path, let operation, let reason):
            "cannot \(operation) \(path): \(reason)"
        case .noWorkers(let name, let running):
            "no workers serve model \"\(name)\"; load it first. Models with workers: \(Self.list(running))"
        case .queueFull(let name, let capacity):
            "the queue of model \"\(name)\" is full (\(capacity) waiting); retry later or raise queueCapacity"
        case .requestCancelledByUnload(let name):
            "request dropped: model \"\(name)\" is unloading; load it again and resubmit"
        case .unknownParameter(let model, let key, let engine, let known):
            "model \"\(model)\": unknown parameter \"\(key)\" for \(engine); known: \(Self.list(known))"
        case .downloadInUse(let name, let path, let holder, let state, let leases):
            "model \"\(name)\": cannot delete \(path) while "
                + (holder == name ? "the model" : "model \"\(holder)\", which shares the file,")
                + " \(Self.activity(state, leases: leases)); "
                + (state == .downloading ? "wait for it to end" : "unload(\"\(holder)\") first")
        case .notRemote(let name, let path):
            "model \"\(name)\" has the local path \(path), not an http(s) URL: the registry deletes only the files "
                + "it downloaded"
        case .checksumMismatch(let name, let path, let expected, let actual):
            "model \"\(name)\": the file \(path) has SHA-256 \(actual), expected \(expected); it was deleted: load the "
                + "model or call download(\"\(name)\") to fetch it again"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    public var errorDescription: String? { description }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "(none)" : items.joined(separator: ", ") }

    /// What a model in `state` is doing to its file, e.g. `is loaded (2 lease(s) held)`.
    private static func activity(_ state: ModelState.Kind, leases: Int) -> String {
        switch state {
        case .downloading: "is being downloaded or verified"
        case .loading: "is loading"
        case .unloading: "is unloading (\(leases) lease(s) held)"
        case .loaded: "is loaded (\(leases) lease(s) held)"
        case .unloaded, .notDownloaded, .downloaded, .failed: "holds \(leases) lease(s)"
        }
    }
}
