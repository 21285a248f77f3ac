// MARK: - Queries

extension ModelCatalog {
    /// Every version of every model, sorted by name and then by version.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    public func list() throws(RegistryError) -> [ModelVersion] { try read().versions }

    /// The versions of one model, oldest first; empty when the catalog does not know the name.
    /// - Parameter name: The model name.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    public func list(name: String) throws(RegistryError) -> [ModelVersion] { try read().versions(of: name) }

    /// The model names, sorted.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    public func names() throws(RegistryError) -> [String] { try read().names }

    /// The version numbers of one model, in semantic-versioning order (`1.0.0-rc.1`, `1.0.0`, `1.2.0`, `1.10.0`).
    /// - Parameter name: The model name.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` or
    ///   ``RegistryError/fileSystem(path:operation:reason:)``.
    public func versions(of name: String) throws(RegistryError) -> [SemanticVersion] {
        try read().versions(of: name).map(\.version)
    }

    /// One version of a model.
    /// - Parameters:
    ///   - name: The model name.
    ///   - version: The version number.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)`` listing the versions the model has.
    public func version(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        try read().version(name: name, version: version)
    }

    /// The production version of a model.
    /// - Parameter name: The model name.
    /// - Throws: ``RegistryError/noProductionVersion(name:available:)`` listing the versions that could be promoted.
    public func production(of name: String) throws(RegistryError) -> ModelVersion {
        try read().production(of: name)
    }
}

// MARK: - Changes

extension ModelCatalog {
    /// Adds a version. Registering a version in production moves the name's current production to staging.
    /// - Parameter version: The version to add.
    /// - Returns: The version as stored.
    /// - Throws: ``RegistryError/versionAlreadyExists(name:version:)`` when the name already has this version;
    ///   ``RegistryError/invalidConfiguration(file:model:field:reason:)`` for an empty name; file errors.
    @discardableResult
    public func register(_ version: ModelVersion) throws(RegistryError) -> ModelVersion {
        try update { contents throws(RegistryError) in
            try contents.register(version, path: fileURL.path)
            return try contents.version(name: version.name, version: version.version)
        }
    }

    /// Makes a version the production version of its name. The previous production version moves to staging
    /// in the same write, so the catalog never holds two (or, between the steps, zero) production versions.
    /// - Parameters:
    ///   - name: The model name.
    ///   - version: The version to promote.
    /// - Returns: The promoted version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``; file errors.
    @discardableResult
    public func promote(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        try update { contents throws(RegistryError) in try contents.promote(name: name, version: version) }
    }

    /// Archives a version. Archiving the production version leaves the model without one.
    /// - Parameters:
    ///   - name: The model name.
    ///   - version: The version to archive.
    /// - Returns: The archived version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``; file errors.
    @discardableResult
    public func archive(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        try update { contents throws(RegistryError) in try contents.archive(name: name, version: version) }
    }

    /// Removes a version from the catalog (the model file is not touched).
    /// - Parameters:
    ///   - name: The model name.
    ///   - version: The version to remove.
    /// - Returns: The removed version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``; file errors.
    @discardableResult
    public func remove(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        try update { contents throws(RegistryError) in try contents.remove(name: name, version: version) }
    }
}

// MARK: - Learned figures

extension ModelCatalog {
    /// Records the memory a version was seen to hold once loaded (``ModelMetadata/loadedMemoryBytes``).
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - name: The model name.
    ///   - version: The version number.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``; file errors.
    public func recordLoadedMemory(_ bytes: Int, name: String, version: SemanticVersion) throws(RegistryError) {
        try update { contents throws(RegistryError) in
            let index = try contents.index(name: name, version: version)
            contents.versions[index].metadata.loadedMemoryBytes = bytes
        }
    }
}
