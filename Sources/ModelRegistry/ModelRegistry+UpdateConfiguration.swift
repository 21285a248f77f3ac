extension ModelRegistry {
    /// Settings a loaded model takes at once; every other change needs a reload.
    public static let liveConfigurationFields: Set<String> = ["keepAlive", "pinned", "loadTimeout", "preload", "sha256"]

    /// Changes a model's configuration. Never reloads silently: settings the loaded engine already used
    /// (path, engine, type, threads, context length, batch size, parameters, workers, queue) need `reload: true`.
    ///
    /// ```swift
    /// try await registry.updateConfiguration("tiny") { $0.keepAlive = .idle(.seconds(60)) }
    /// try await registry.updateConfiguration("tiny", reload: true) { $0.threads = 4 }
    /// ```
    /// - Parameters:
    ///   - name: The public name.
    ///   - reload: Whether to unload and load the model again when the change needs it.
    ///   - change: Edits the configuration.
    /// - Returns: The new configuration.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``;
    ///   ``RegistryError/reloadRequired(name:fields:)`` when the model is loaded, the change needs a reload and
    ///   `reload` is `false`; ``RegistryError/invalidConfiguration(file:model:field:reason:)`` for a rename; what
    ///   ``unload(_:drainTimeout:)`` and ``load(_:timeout:)`` throw when reloading.
    @discardableResult
    public func updateConfiguration(
        _ name: String, reload: Bool = false, _ change: (inout ModelConfiguration) -> Void
    ) async throws(RegistryError) -> ModelConfiguration {
        let old = try entry(name).configuration
        var new = old
        change(&new)
        guard new.name == name else {
            throw .invalidConfiguration(
                file: "updateConfiguration", model: name, field: "name",
                reason: "a model cannot be renamed; register \"\(new.name)\" as a new model")
        }
        let fields = old.changedFields(to: new)
        guard !fields.isEmpty else { return old }
        let needsReload = fields.filter { !Self.liveConfigurationFields.contains($0) }
        let state = try entry(name).state
        let engineInUse = state.isLoaded || state.label == "loading" || state.label == "unloading"
        if engineInUse && !needsReload.isEmpty {
            guard reload else { throw .reloadRequired(name: name, fields: needsReload) }
            try await unload(name)
            setConfiguration(new)
            publish(.configurationUpdated(fields: fields), for: name)
            try await load(name)
            return new
        }
        setConfiguration(new)
        publish(.configurationUpdated(fields: fields), for: name)
        scheduleIdleExpiry(name)
        capacityMayHaveChanged()
        return new
    }
}

extension ModelRegistry {
    /// Replaces a model's configuration and where its file downloads to.
    private func setConfiguration(_ configuration: ModelConfiguration) {
        entries[configuration.name]?.configuration = configuration
        entries[configuration.name]?.downloadTo = Self.downloadDestination(of: configuration, options)
    }
}

extension ModelConfiguration {
    /// The names of the settings that differ between two configurations.
    func changedFields(to other: ModelConfiguration) -> [String] {
        var fields: [String] = []
        func check(_ field: String, _ differs: Bool) { if differs { fields.append(field) } }
        check("name", name != other.name)
        check("engine", engine != other.engine)
        check("type", modelType != other.modelType)
        check("path", path != other.path)
        check("maxWorkers", maxWorkers != other.maxWorkers)
        check("queueCapacity", queueCapacity != other.queueCapacity)
        check("contextLength", contextLength != other.contextLength)
        check("threads", threads != other.threads)
        check("batchSize", batchSize != other.batchSize)
        check("parallel", parallel != other.parallel)
        check("preload", preload != other.preload)
        check("loadTimeout", loadTimeout != other.loadTimeout)
        check("parameters", parameters != other.parameters)
        check("keepAlive", keepAlive != other.keepAlive)
        check("pinned", pinned != other.pinned)
        check("sha256", sha256 != other.sha256)
        return fields
    }
}
