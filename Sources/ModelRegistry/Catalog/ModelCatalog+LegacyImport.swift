public import Foundation

// MARK: - Importing the seed design's registry file

/// What ``ModelCatalog/importLegacy(from:)`` did.
public struct LegacyImport: Sendable, Hashable {
    /// The versions added to the catalog, in the order the file lists them.
    public var imported: [ModelVersion]
    /// The entries the catalog already held with the same name, version and path (an import run twice adds
    /// nothing the second time).
    public var alreadyPresent: [ModelVersion]
}

extension ModelCatalog {
    /// Imports a registry file in the seed design's shape into this catalog, in one locked write.
    ///
    /// The file is read only when asked through this method; a catalog never guesses that a file is in this shape.
    /// Its layout:
    ///
    /// ```json
    /// { "models": [
    ///     { "name": "iris", "version": 2, "path": "models/iris-v2.onnx",
    ///       "description": "retrained", "metrics": { "accuracy": 0.97 },
    ///       "stage": "production", "created_at": "2025-01-31T12:00:00Z" } ] }
    /// ```
    ///
    /// - `version` is a whole number `n ≥ 0` and becomes the semantic version `n.0.0`.
    /// - `path` is resolved against the file's folder when relative; its extension (`.onnx`, `.gguf`) gives the
    ///   format.
    /// - `description` and `metrics` go into the version's ``ModelMetadata``; `created_at` (ISO 8601) becomes the
    ///   registration date; `stage` (`development`, `staging`, `production`, `archived`) defaults to development.
    /// - Other keys are ignored.
    ///
    /// Nothing is written unless every entry is valid. An entry the catalog already holds with the same path is
    /// skipped; one with the same name and version but another path is a conflict.
    /// - Parameter url: The legacy registry file.
    /// - Returns: What was imported and what was already there.
    /// - Throws: ``RegistryError/corruptCatalog(file:reason:)`` naming the entry and field (e.g.
    ///   `models[1].version: expected a whole number, found "1.2"`), or two production entries for one name;
    ///   ``RegistryError/versionAlreadyExists(name:version:)`` for a conflicting version;
    ///   ``RegistryError/fileSystem(path:operation:reason:)`` when the file cannot be read.
    @discardableResult
    public func importLegacy(from url: URL) throws(RegistryError) -> LegacyImport {
        let entries = try LegacyRegistryFile(contentsOf: url).versions
        return try update { contents throws(RegistryError) -> LegacyImport in
            var result = LegacyImport(imported: [], alreadyPresent: [])
            for entry in entries {
                if let existing = contents.versions.first(where: { $0.name == entry.name && $0.version == entry.version }) {
                    guard existing.path == entry.path else {
                        throw .versionAlreadyExists(name: entry.name, version: entry.version.description)
                    }
                    result.alreadyPresent.append(existing)
                    continue
                }
                try contents.register(entry, path: fileURL.path)
                result.imported.append(try contents.version(name: entry.name, version: entry.version))
            }
            return result
        }
    }
}

/// The seed design's registry file, decoded strictly: every error names the entry and the field.
struct LegacyRegistryFile {
    /// The entries as catalog versions, in file order.
    let versions: [ModelVersion]

    /// Reads and checks the file.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` or ``RegistryError/corruptCatalog(file:reason:)``.
    init(contentsOf url: URL) throws(RegistryError) {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .fileSystem(path: path, operation: "read the legacy registry file", reason: error.localizedDescription)
        }
        let file: Shape
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let container = try decoder.singleValueContainer()
                let text = try container.decode(String.self)
                // With or without a zone: Python's `datetime.isoformat()` writes none, read as UTC.
                guard let date = CatalogCoding.parse(text) ?? CatalogCoding.parse(text + "Z") else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "\"\(text)\" is not an ISO 8601 date such as 2025-01-31T12:00:00Z")
                }
                return date
            }
            file = try decoder.decode(Shape.self, from: data)
        } catch {
            throw .corruptCatalog(file: path, reason: CatalogCoding.reason(for: error))
        }
        let folder = url.deletingLastPathComponent()
        var versions: [ModelVersion] = []
        for (index, entry) in file.models.enumerated() {
            func fail(_ field: String, _ reason: String) -> RegistryError {
                .corruptCatalog(file: path, reason: "field models[\(index)].\(field): \(reason)")
            }
            guard !entry.name.allSatisfy(\.isWhitespace) else { throw fail("name", "must not be empty") }
            guard let number = Int(exactly: entry.version), number >= 0 else {
                throw fail("version", "must be a whole number, 0 or more, not \(entry.version)")
            }
            let filePath = entry.path.hasPrefix("/")
                ? entry.path : folder.appendingPathComponent(entry.path).standardizedFileURL.path
            guard let format = ModelFormat(fileExtension: URL(fileURLWithPath: filePath).pathExtension) else {
                throw fail("path", "\"\(entry.path)\" has no known model extension (.onnx, .gguf)")
            }
            let version = try SemanticVersion(major: number, minor: 0, patch: 0)
            let stage = entry.stage ?? .development
            if stage == .production, versions.contains(where: { $0.name == entry.name && $0.stage == .production }) {
                throw fail("stage", "a second production entry for \"\(entry.name)\"")
            }
            if versions.contains(where: { $0.name == entry.name && $0.version == version }) {
                throw fail("version", "\"\(entry.name)\" version \(number) is listed twice")
            }
            let metadata = ModelMetadata(
                source: "legacy registry \(url.lastPathComponent)", description: entry.description,
                metrics: entry.metrics ?? [:])
            versions.append(ModelVersion(
                name: entry.name, version: version, path: filePath, format: format, stage: stage,
                metadata: metadata, registeredAt: entry.createdAt ?? Date()))
        }
        self.versions = versions
    }

    /// The file as JSON holds it.
    private struct Shape: Decodable {
        let models: [Entry]
    }

    /// One entry; keys other than these are ignored.
    private struct Entry: Decodable {
        let name: String
        let version: Double  // checked to be whole, so `1.5` gets an error naming the field
        let path: String
        let description: String?
        let metrics: [String: Double]?
        let stage: ModelStage?
        let createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case name, version, path, description, metrics, stage
            case createdAt = "created_at"
        }
    }
}
