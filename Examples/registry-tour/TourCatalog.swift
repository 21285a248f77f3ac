import Foundation
import ModelRegistry

/// The catalog part of the tour: a temporary catalog file with two versions of the iris model, the newer one
/// promoted to production.
enum TourCatalog {
    /// Creates the catalog and registers and promotes the versions, printing each step.
    /// - Parameter model: The ONNX file both versions point at (their metadata differs).
    /// - Returns: The catalog.
    /// - Throws: Catalog and file errors.
    static func make(model: URL) throws -> ModelCatalog {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-tour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let catalog = try ModelCatalog(fileURL: folder.appendingPathComponent("catalog.json"))
        print("catalog: \(catalog.fileURL.path)")

        let size = (try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? NSNumber)?.int64Value
        let first = ModelVersion(
            name: "iris", version: "1.0.0", path: model.path, format: .onnx,
            metadata: ModelMetadata(
                architecture: "logistic regression", parameterCount: 9, tags: ["baseline"],
                source: "onnxruntime datasets", sizeBytes: size),
            modelType: .classifier)
        var second = first
        second.version = "1.1.0"
        second.metadata.tags = ["candidate", "normalized"]
        second.metadata.license = "MIT"
        second.registeredAt = Date()

        try catalog.register(first)
        try catalog.promote(name: "iris", version: first.version)
        try catalog.register(second)
        try catalog.promote(name: "iris", version: second.version)  // 1.0.0 moves to staging in the same write
        for version in try catalog.list(name: "iris") {
            let license = version.metadata.license.map { ", license \($0)" } ?? ""
            print("  \(version.id.padding(toLength: 12, withPad: " ", startingAt: 0)) \(version.stage), "
                + "tags \(version.metadata.tags.joined(separator: " "))\(license)")
        }
        return catalog
    }
}
