public import Foundation

/// Scans a directory for model files and registers what is new in a ``ModelCatalog``.
///
/// A model is a top-level `.onnx` or `.gguf` file (named after the file, without its extension) or a folder
/// holding exactly one such file directly (named after the folder). Hidden entries (`.name`) are skipped; other
/// files and folders without a model file are ignored. Entries that cannot be examined — a dangling symbolic
/// link, a folder with several model files, an empty file, a `.gguf` file without a GGUF header, two models
/// with one name — are reported in ``DiscoveryStats/errors`` and the scan goes on.
///
/// The catalog is updated in one locked write, with this rule:
/// - a name the catalog does not know gets version `1.0.0`, stage development;
/// - a name whose newest entry for the same path has the same size and modification time is unchanged;
/// - otherwise (the file changed in place, or the name is known from another path) the file is registered as
///   the next patch version after the name's highest version (`1.0.3` → `1.0.4`), stage development; the older
///   versions, including a production one, are kept as they are.
///
/// ```swift
/// let stats = try ModelDiscovery(catalog: catalog).scan(URL(fileURLWithPath: "/models"))
/// print(stats)   // scanned 4, found 3, added 3, updated 0, unchanged 0, errors 1
/// ```
public struct ModelDiscovery: Sendable {
    /// The catalog that discovered models are registered in.
    public let catalog: ModelCatalog

    /// Creates a scanner for a catalog.
    /// - Parameter catalog: The catalog to register discovered models in.
    public init(catalog: ModelCatalog) { self.catalog = catalog }

    /// Scans a directory (not recursively beyond model folders) and registers new and changed models.
    /// - Parameter directory: The directory to scan.
    /// - Returns: What was scanned, found, added, updated and what failed.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when the directory itself cannot be
    ///   listed; ``RegistryError/corruptCatalog(file:reason:)`` or a file error when the catalog cannot be
    ///   updated (nothing is registered then).
    @discardableResult
    public func scan(_ directory: URL) throws(RegistryError) -> DiscoveryStats {
        let root = directory.standardizedFileURL
        let entries = try Self.entries(of: root.path)
        var stats = DiscoveryStats(scanned: entries.count)
        var models: [DiscoveredModel] = []
        var pathsByName: [String: String] = [:]
        for entry in entries {
            let url = root.appendingPathComponent(entry)
            do throws(DiscoveryFailure) {
                guard let model = try Self.inspect(url) else { continue }
                stats.found += 1
                if let other = pathsByName[model.name] {
                    throw DiscoveryFailure("model name \"\(model.name)\" is also used by \(other); rename one of them")
                }
                pathsByName[model.name] = url.path
                models.append(model)
            } catch {
                stats.errors[url.path] = error.reason
            }
        }
        return try catalog.update { contents throws(RegistryError) -> DiscoveryStats in
            var result = stats
            for model in models { Self.apply(model, to: &contents, stats: &result) }
            return result
        }
    }

    /// Registers one discovered model by the rule above, counting the outcome.
    private static func apply(
        _ model: DiscoveredModel, to contents: inout CatalogContents, stats: inout DiscoveryStats
    ) {
        let known = contents.versions(of: model.name)
        if let latest = known.last(where: { $0.path == model.path }), model.matches(latest) {
            stats.unchanged += 1
            return
        }
        let version = known.last.map { $0.version.nextPatch() } ?? SemanticVersion(stringLiteral: "1.0.0")
        do {
            try contents.register(model.catalogVersion(version), path: model.path)
            if known.isEmpty { stats.added += 1 } else { stats.updated += 1 }
        } catch {
            stats.errors[model.path] = error.description
        }
    }

    /// The non-hidden entries of a directory, sorted.
    private static func entries(of path: String) throws(RegistryError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            let reason = code.map { SystemCall.message(Int32($0)) } ?? error.localizedDescription
            throw .fileSystem(path: path, operation: "list the directory", reason: reason)
        }
    }
}
