import Foundation

extension ModelRegistry {
    /// The public names of every registered model, sorted.
    public var availableModels: [String] { entries.keys.sorted() }

    /// The public names of the loaded models, sorted.
    public var loadedModels: [String] { entries.filter { $0.value.state.isLoaded }.keys.sorted() }

    /// Whether a model is loaded. Never starts a load; an unknown name is simply not loaded.
    /// - Parameter name: The public name.
    /// - Returns: `true` when the model is loaded.
    public func isLoaded(_ name: String) -> Bool { entries[name]?.state.isLoaded ?? false }

    /// Whether a model can be loaded without downloading: its local file exists, its remote file is downloaded,
    /// or it is loaded. Never starts a load or a download; an unknown name is simply not available.
    ///
    /// A remote model's answer comes from the registry's record (set when the file was found at registration,
    /// downloaded, or deleted through ``deleteDownloaded(_:)``), without file I/O; a local model's file is probed.
    /// - Parameter name: The public name.
    /// - Returns: `true` when the model is on disk or loaded.
    public func isAvailable(_ name: String) -> Bool {
        guard let entry = entries[name] else { return false }
        if entry.state.isLoaded { return true }
        if let downloaded = entry.isDownloaded { return downloaded }
        return FileManager.default.fileExists(atPath: entry.configuration.path)
    }

    /// The public names of the models of one type, sorted.
    /// - Parameter modelType: The type, e.g. ``ModelType/llm``.
    /// - Returns: The names; empty when no model has that type.
    public func models(ofType modelType: ModelType) -> [String] {
        entries.filter { $0.value.configuration.modelType == modelType }.keys.sorted()
    }

    /// A model's configuration.
    /// - Parameter name: The public name.
    /// - Returns: The configuration.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func configuration(of name: String) throws(RegistryError) -> ModelConfiguration {
        try entry(name).configuration
    }

    /// Every model's configuration, sorted by name.
    public var configurations: [ModelConfiguration] { availableModels.compactMap { entries[$0]?.configuration } }

    /// A snapshot of a model's record: state, timestamps and statistics.
    /// - Parameter name: The public name.
    /// - Returns: The record.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func record(of name: String) throws(RegistryError) -> ModelRecord {
        try entry(name).record(name: name, leases: leaseTable.figures(name))
    }

    /// Snapshots of every model's record, sorted by name.
    public var records: [ModelRecord] {
        availableModels.compactMap { entries[$0]?.record(name: $0, leases: leaseTable.figures($0)) }
    }

    /// A model's state.
    /// - Parameter name: The public name.
    /// - Returns: The state.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func state(of name: String) throws(RegistryError) -> ModelState { try entry(name).state }

    /// The registry's health over its loaded models (see ``ModelHealth/aggregate(_:)``): all healthy → healthy,
    /// none serving → unhealthy, otherwise degraded; `unknown` when no loaded model has been checked.
    public var health: ModelHealth {
        ModelHealth.aggregate(entries.values.filter { $0.state.isLoaded }.map(\.health))
    }

    /// Runs every loaded engine's health check, records the results, and publishes
    /// ``RegistryEvent/Kind/healthChanged(from:to:)`` for each change.
    /// - Returns: The health of each loaded model, by name.
    @discardableResult
    public func checkHealth() async -> [String: ModelHealth] {
        var results: [String: ModelHealth] = [:]
        for name in loadedModels {
            guard let loaded = entries[name]?.lifecycle.loaded else { continue }
            let health = await loaded.engine.healthCheck()
            guard entries[name]?.lifecycle.currentID == loaded.id, let old = entries[name]?.health else { continue }
            results[name] = health
            entries[name]?.health = health
            if old != health { publish(.healthChanged(from: old, to: health), for: name) }
        }
        return results
    }

    // MARK: - Default model

    /// The name of the default model.
    /// - Returns: The name.
    /// - Throws: ``RegistryError/noDefaultModel(available:)`` when none is set.
    public func defaultModel() throws(RegistryError) -> String {
        guard let name = defaultModelName, entries[name] != nil else { throw .noDefaultModel(available: availableModels) }
        return name
    }

    /// Makes a registered model the default.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func setDefaultModel(_ name: String) throws(RegistryError) {
        _ = try entry(name)
        defaultModelName = name
    }
}
