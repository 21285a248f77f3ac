import Foundation

/// What a catalog file holds: a format number and every model version, kept sorted by name and version.
///
/// The type is a pure value: ``ModelCatalog`` reads it from the file under a lock, applies one of the mutating
/// methods here and writes it back, so every rule (one production per name, no duplicate versions) lives in
/// plain code that needs no file to test.
struct CatalogContents: Sendable, Equatable, Codable {
    /// The file format this library writes and reads.
    static let currentFormat = 1

    /// The file's format number; a newer one than ``currentFormat`` is refused rather than misread.
    var formatVersion: Int = CatalogContents.currentFormat
    /// Every version, sorted by name, then by version precedence. Change it only through the mutating methods,
    /// which keep the order and the rules.
    var versions: [ModelVersion] = []

    /// An empty catalog.
    init() {}

    /// Decodes a catalog file.
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The file's path, for the error.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` when the bytes are not a catalog this library
    ///   can read.
    init(decoding data: Data, path: String) throws(RegistryError) {
        do {
            self = try CatalogCoding.decoder().decode(CatalogContents.self, from: data)
        } catch {
            throw .corruptCatalog(file: path, reason: CatalogCoding.reason(for: error))
        }
        guard formatVersion <= Self.currentFormat else {
            throw .corruptCatalog(
                file: path,
                reason: "format \(formatVersion) is newer than this library reads (\(Self.currentFormat)); upgrade it")
        }
        versions.sort(by: Self.precedes)
    }

    /// The file's bytes.
    /// - Parameter path: The file's path, for the error.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when encoding fails.
    func encoded(path: String) throws(RegistryError) -> Data {
        do {
            return try CatalogCoding.encoder().encode(self)
        } catch {
            throw .fileSystem(path: path, operation: "encode the catalog for", reason: "\(error)")
        }
    }

    /// The model names, sorted.
    var names: [String] { Array(Set(versions.map(\.name))).sorted() }

    /// The versions of one model, oldest first.
    /// - Parameter name: The model name.
    func versions(of name: String) -> [ModelVersion] { versions.filter { $0.name == name } }

    /// One version of a model.
    /// - Parameters:
    ///   - name: The model name.
    ///   - version: The version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)`` listing the model's versions.
    func version(name: String, version: SemanticVersion) throws(RegistryError) -> ModelVersion {
        try versions[index(name: name, version: version)]
    }

    /// The production version of a model.
    /// - Parameter name: The model name.
    /// - Throws: ``RegistryError/noProductionVersion(name:available:)`` listing the model's versions.
    func production(of name: String) throws(RegistryError) -> ModelVersion {
        let candidates = versions(of: name)
        guard let production = candidates.first(where: { $0.stage == .production }) else {
            throw .noProductionVersion(name: name, available: candidates.map(\.version.description))
        }
        return production
    }

    /// The position of a version.
    /// - Throws: ``RegistryError/versionNotFound(name:version:available:)`` listing the model's versions.
    func index(name: String, version: SemanticVersion) throws(RegistryError) -> Int {
        guard let index = versions.firstIndex(where: { $0.name == name && $0.version == version }) else {
            throw .versionNotFound(
                name: name, version: version.description, available: versions(of: name).map(\.version.description))
        }
        return index
    }

    /// Name order, then version precedence.
    static func precedes(_ lhs: ModelVersion, _ rhs: ModelVersion) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.version < rhs.version
    }
}
