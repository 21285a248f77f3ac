import Foundation
import ModelRegistry

// MARK: - Running

extension CatalogCommand {
    /// Runs the command and prints its result to standard output.
    /// - Throws: The catalog's ``RegistryError``.
    func run() throws {
        let catalog = try ModelCatalog(fileURL: self.catalog)
        switch action {
        case .register(let version): try printVersions([catalog.register(version)])
        case .list(let name): try printVersions(name.map { try catalog.list(name: $0) } ?? catalog.list())
        case .promote(let name, let version): try printVersions([catalog.promote(name: name, version: version)])
        case .archive(let name, let version): try printVersions([catalog.archive(name: name, version: version)])
        case .remove(let name, let version): try printVersions([catalog.remove(name: name, version: version)])
        case .production(let name): try printVersions([catalog.production(of: name)])
        case .scan(let directory): try printStats(ModelDiscovery(catalog: catalog).scan(directory))
        }
    }

    /// Prints versions as a JSON array, or one `name version stage format path` line each.
    private func printVersions(_ versions: [ModelVersion]) throws {
        if json { return try printJSON(versions) }
        for version in versions {
            print([version.name, version.version.description, version.stage.rawValue, version.format.rawValue,
                   version.path].joined(separator: "\t"))
        }
    }

    /// Prints scan statistics as JSON, or a summary line and one `error <path>: <reason>` line per error.
    private func printStats(_ stats: DiscoveryStats) throws {
        if json { return try printJSON(stats) }
        print(stats)
        for (path, reason) in stats.errors.sorted(by: { $0.key < $1.key }) { print("error \(path): \(reason)") }
    }

    /// Prints a value as pretty JSON with sorted keys and ISO 8601 dates with milliseconds, as in the catalog.
    private func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        }
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
