extension ModelRegistry {
    /// Serves the version of a catalog entry a policy selects: registers the model if new; otherwise swaps it to
    /// that version without dropping a request (``swap(_:to:)``) when it is loaded, or takes the new configuration
    /// for its next load. The model keeps the catalog and the policy, so ``refreshVersions()`` follows the catalog
    /// as versions are promoted, and requests can name another version (`iris@1.2.0`, `iris@staging`).
    ///
    /// ```swift
    /// let catalog = try ModelCatalog(fileURL: catalogURL)
    /// try await registry.useVersion(of: "iris", .production, from: catalog) { $0.maxWorkers = 2 }
    /// try await registry.load("iris")
    /// try catalog.promote(name: "iris", version: "1.1.0")
    /// try await registry.refreshVersions()   // swaps iris to 1.1.0 while it serves
    /// ```
    /// - Parameters:
    ///   - catalogName: The model's name in the catalog.
    ///   - policy: Which version to serve.
    ///   - catalog: The catalog (read under its shared file lock, briefly blocking the registry).
    ///   - publicName: The registry name to use; the catalog name when `nil`.
    ///   - configure: Adjusts the configuration made from the version (workers, threads, keep-alive...).
    /// - Returns: The model's configuration.
    /// - Throws: ``RegistryError/noProductionVersion(name:available:)``,
    ///   ``RegistryError/versionNotFound(name:version:available:)`` and other catalog errors, and what
    ///   ``register(_:)`` or ``swap(_:to:)`` throw.
    @discardableResult
    public func useVersion(
        of catalogName: String, _ policy: VersionPolicy = .production, from catalog: ModelCatalog,
        as publicName: String? = nil, configure: @escaping @Sendable (inout ModelConfiguration) -> Void = { _ in }
    ) async throws(RegistryError) -> ModelConfiguration {
        let source = CatalogSource(catalog: catalog, name: catalogName, policy: policy, configure: configure)
        let configuration = try source.configuration(publicName: publicName ?? catalogName, learnInto: &learnedMemory)
        if entries[configuration.name] == nil {
            try register(configuration)
        } else if configuration != entries[configuration.name]?.configuration {
            try await swap(configuration.name, to: configuration)
        }
        entries[configuration.name]?.catalog = source
        return configuration
    }

    /// Points a model at the production version of a catalog entry (``useVersion(of:_:from:as:configure:)`` with
    /// ``VersionPolicy/production``).
    /// - Parameters:
    ///   - catalogName: The model's name in the catalog.
    ///   - catalog: The catalog.
    ///   - publicName: The registry name to use; the catalog name when `nil`.
    ///   - configure: Adjusts the configuration made from the version.
    /// - Returns: The model's configuration.
    /// - Throws: What ``useVersion(of:_:from:as:configure:)`` throws.
    @discardableResult
    public func useProductionVersion(
        of catalogName: String, from catalog: ModelCatalog, as publicName: String? = nil,
        configure: @escaping @Sendable (inout ModelConfiguration) -> Void = { _ in }
    ) async throws(RegistryError) -> ModelConfiguration {
        try await useVersion(of: catalogName, .production, from: catalog, as: publicName, configure: configure)
    }

    /// Reads the catalog of every model that came from one and swaps each whose policy now selects another
    /// version (a promotion, a new latest version), without dropping a request. Call it after changing the
    /// catalog, or periodically.
    /// - Returns: The swaps started, by model name (`nil` for a model that was not loaded and simply takes the
    ///   new version at its next load).
    /// - Throws: The first catalog or swap error, after every model has been tried.
    @discardableResult
    public func refreshVersions() async throws(RegistryError) -> [String: VersionSwap?] {
        var swaps: [String: VersionSwap?] = [:]
        var firstError: RegistryError?
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let source = entry.catalog, !name.contains("@") else { continue }
            do throws(RegistryError) {
                let configuration = try source.configuration(publicName: name, learnInto: &learnedMemory)
                guard configuration.version != entries[name]?.configuration.version else { continue }
                swaps[name] = try await swap(name, to: configuration)
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return swaps
    }

    /// The registered model a name that is not itself registered means: for `model@policy` (`iris@1.2.0`,
    /// `iris@staging`) the model serving that version, registered from the model's catalog on first use as
    /// `model@version` (with the model's settings) when the model itself serves another version.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)`` when the name names no version of a registered
    ///   model, or the model has no catalog; catalog errors naming the versions there are.
    func resolveVersion(_ name: String) throws(RegistryError) -> String {
        guard let at = name.lastIndex(of: "@") else { throw .modelNotFound(name: name, available: entries.keys.sorted()) }
        let base = String(name[..<at])
        guard let source = entries[base]?.catalog else {
            throw .modelNotFound(name: name, available: entries.keys.sorted())
        }
        let policy = try VersionPolicy(parsing: String(name[name.index(after: at)...]))
        let pinned = source.pinned(to: .pinned(try source.catalog.version(of: source.name, policy).version))
        var configuration = try pinned.configuration(publicName: base, learnInto: &learnedMemory)
        if configuration.version == entries[base]?.configuration.version { return base }
        configuration.name = "\(base)@\(configuration.version ?? "")"
        if entries[configuration.name] == nil {
            try register(configuration)
            entries[configuration.name]?.catalog = pinned
        }
        return configuration.name
    }
}
