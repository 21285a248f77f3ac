extension ModelRegistry {
    /// Settings a loaded model takes at once; every other change needs a reload.
    public static let liveConfigurationFields: Set<ModelConfiguration.Field> = Set(
        ModelConfiguration.Field.allCases.filter(\.isLiveUpdatable))

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
    ///   ``RegistryError/reloadRequired(name:fields:)`` when the model is loaded, loading (downloading its file
    ///   included) or unloading, the change needs a reload and `reload` is `false`;
    ///   ``RegistryError/invalidConfiguration(file:model:field:reason:)`` for a rename;
    ///   ``RegistryError/unknownParameter(model:key:engine:known:)`` for a parameter the engine does not read; what
    ///   ``unload(_:drainTimeout:)`` and ``load(_:timeout:)`` throw when reloading (when the unload gives up, the
    ///   old configuration stays).
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
        let changed = old.changedFields(to: new)
        guard !changed.isEmpty else { return old }
        try factory.checkParameters(of: new)
        let fields = changed.map(\.rawValue)
        let needsReload = changed.filter { !$0.isLiveUpdatable }.map(\.rawValue)
        if try entry(name).lifecycle.engineInUse && !needsReload.isEmpty {
            guard reload else { throw .reloadRequired(name: name, fields: needsReload) }
            // The new configuration is in place before the unload starts, so a request that waits for the unload
            // (resumed before this call goes on) loads the new configuration, never the old one again.
            setConfiguration(new)
            do {
                try await unload(name)
            } catch {
                setConfiguration(old)  // the unload gave up: the old engine goes on serving, with its settings
                refreshFastPath(name)
                scheduleIdleExpiry(name)
                throw error
            }
            publish(.configurationUpdated(fields: fields), for: name)
            try await load(name)
            return new
        }
        setConfiguration(new)
        refreshFastPath(name)
        publish(.configurationUpdated(fields: fields), for: name)
        scheduleIdleExpiry(name)
        capacityMayHaveChanged()
        return new
    }
}

extension ModelRegistry {
    /// Replaces a model's configuration and where its file downloads to.
    func setConfiguration(_ configuration: ModelConfiguration) {
        entries[configuration.name]?.configuration = configuration
        entries[configuration.name]?.downloadTo = Self.downloadDestination(of: configuration, options)
    }
}
