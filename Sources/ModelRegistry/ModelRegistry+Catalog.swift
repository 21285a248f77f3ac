extension ModelRegistry {
    /// Points a model at the production version of a catalog entry: registers it if new, otherwise updates its
    /// configuration (reloading it when it is loaded and the file changed).
    ///
    /// ```swift
    /// let catalog = try ModelCatalog(fileURL: catalogURL)
    /// try await registry.useProductionVersion(of: "iris", from: catalog) { $0.maxWorkers = 2 }
    /// try await registry.load("iris")
    /// ```
    /// - Parameters:
    ///   - catalogName: The model's name in the catalog.
    ///   - catalog: The catalog (read under its shared file lock, briefly blocking the registry).
    ///   - publicName: The registry name to use; the catalog name when `nil`.
    ///   - configure: Adjusts the configuration made from the version (workers, threads, keep-alive...).
    /// - Returns: The model's configuration.
    /// - Throws: ``RegistryError/noProductionVersion(name:available:)`` and other catalog errors, and what
    ///   ``register(_:)`` or ``updateConfiguration(_:reload:_:)`` throw.
    @discardableResult
    public func useProductionVersion(
        of catalogName: String, from catalog: ModelCatalog, as publicName: String? = nil,
        configure: (inout ModelConfiguration) -> Void = { _ in }
    ) async throws(RegistryError) -> ModelConfiguration {
        let production = try catalog.production(of: catalogName)
        var configuration = try production.configuration(name: publicName ?? catalogName)
        configure(&configuration)
        guard entries[configuration.name] != nil else {
            try register(configuration)
            return configuration
        }
        return try await updateConfiguration(configuration.name, reload: true) { $0 = configuration }
    }
}
