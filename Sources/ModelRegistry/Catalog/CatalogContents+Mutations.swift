// MARK: - Mutations

extension CatalogContents {
    /// Adds a version. A version registered in production demotes the name's current production to staging.
    ///
    /// The version is stored as the file will hold it (dates at millisecond precision), so what this returns
    /// equals what a later read returns.
    /// - Parameters:
    ///   - version: The version to add.
    ///   - path: The catalog file's path, for errors.
    /// - Throws: ``RegistryError/versionAlreadyExists(name:version:)`` when the name already has this version;
    ///   ``RegistryError/invalidConfiguration(file:model:field:reason:)`` when the name is empty or blank.
    mutating func register(_ version: ModelVersion, path: String) throws(RegistryError) {
        guard !version.name.allSatisfy(\.isWhitespace) else {
            throw .invalidConfiguration(
                file: path, model: version.name, field: "name", reason: "a model name must not be empty")
        }
        guard !versions.contains(where: { $0.name == version.name && $0.version == version.version }) else {
            throw .versionAlreadyExists(name: version.name, version: version.version.description)
        }
        let version = try Self.storedForm(of: version, path: path)
        if version.stage == .production { demoteProduction(of: version.name) }
        let position = versions.firstIndex { Self.precedes(version, $0) } ?? versions.endIndex
        versions.insert(version, at: position)
    }

    /// Makes a version the production version of its name; the previous production version moves to staging.
    /// - Returns: The promoted version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``.
    @discardableResult
    mutating func promote(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        let index = try index(name: name, version: version)
        guard versions[index].stage != .production else { return versions[index] }
        demoteProduction(of: name)
        versions[index].stage = .production
        return versions[index]
    }

    /// Moves a version to the archived stage. Archiving the production version leaves the name without one.
    /// - Returns: The archived version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``.
    @discardableResult
    mutating func archive(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        let index = try index(name: name, version: version)
        versions[index].stage = .archived
        return versions[index]
    }

    /// Removes a version.
    /// - Returns: The removed version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)``.
    @discardableResult
    mutating func remove(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        versions.remove(at: try index(name: name, version: version))
    }

    /// A version after a trip through the catalog's JSON coding, which keeps dates to the millisecond.
    private static func storedForm(of version: ModelVersion, path: String) throws(RegistryError) -> ModelVersion {
        do {
            return try CatalogCoding.decoder().decode(ModelVersion.self, from: CatalogCoding.encoder().encode(version))
        } catch {
            throw .fileSystem(path: path, operation: "encode \(version.id) for", reason: "\(error)")
        }
    }

    /// Moves every production version of a name to staging.
    private mutating func demoteProduction(of name: String) {
        for index in versions.indices where versions[index].name == name && versions[index].stage == .production {
            versions[index].stage = .staging
        }
    }
}
