import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(1))) struct LegacyImportTests {
    /// A seed-design registry file with two versions of iris (the second in production) and a llama model.
    static let seedFile = #"""
    {
      "models": [
        { "name": "iris", "version": 1, "path": "models/iris-v1.onnx", "description": "first fit",
          "metrics": { "accuracy": 0.91 }, "created_at": "2024-05-01T10:00:00Z" },
        { "name": "iris", "version": 2, "path": "models/iris-v2.onnx", "description": "retrained",
          "metrics": { "accuracy": 0.97, "f1": 0.96 }, "stage": "production",
          "created_at": "2024-06-01T10:00:00", "owner": "ml-team" },
        { "name": "tiny", "version": 7, "path": "/srv/models/tiny.gguf" }
      ]
    }
    """#

    /// A catalog in a fresh folder and a legacy file written next to it.
    private func setUp(legacy: String) throws -> (directory: URL, catalog: ModelCatalog, legacy: URL) {
        let (directory, file) = try CatalogFixtures.catalogURL()
        let legacyURL = directory.appendingPathComponent("registry.json")
        try Data(legacy.utf8).write(to: legacyURL)
        return (directory, try ModelCatalog(fileURL: file), legacyURL)
    }

    @Test func importLegacy_seedShape_registersEveryVersionWithItsMetadataAndStage() throws {
        let (directory, catalog, legacy) = try setUp(legacy: Self.seedFile)
        defer { try? FileManager.default.removeItem(at: directory) }

        let result = try catalog.importLegacy(from: legacy)

        #expect(result.imported.map(\.id) == ["iris@1.0.0", "iris@2.0.0", "tiny@7.0.0"])
        #expect(result.alreadyPresent.isEmpty)
        let second = try catalog.version(name: "iris", version: "2.0.0")
        #expect(second.path == directory.appendingPathComponent("models/iris-v2.onnx").standardizedFileURL.path)
        #expect(second.format == .onnx)
        #expect(second.stage == .production)
        #expect(second.metadata.description == "retrained")
        #expect(second.metadata.metrics == ["accuracy": 0.97, "f1": 0.96])
        #expect(second.registeredAt == Date(timeIntervalSince1970: 1_717_236_000))
        #expect(try catalog.production(of: "iris").version == "2.0.0")
        let first = try catalog.version(name: "iris", version: "1.0.0")
        #expect(first.stage == .development)
        #expect(first.registeredAt == Date(timeIntervalSince1970: 1_714_557_600))
        let tiny = try catalog.version(name: "tiny", version: "7.0.0")
        #expect(tiny.path == "/srv/models/tiny.gguf")
        #expect(tiny.format == .gguf)
        #expect(tiny.metadata.metrics.isEmpty)
    }

    @Test func importLegacy_twice_addsNothingTheSecondTime() throws {
        let (directory, catalog, legacy) = try setUp(legacy: Self.seedFile)
        defer { try? FileManager.default.removeItem(at: directory) }
        try catalog.importLegacy(from: legacy)
        let before = try Data(contentsOf: catalog.fileURL)

        let again = try catalog.importLegacy(from: legacy)

        #expect(again.imported.isEmpty)
        #expect(again.alreadyPresent.map(\.id) == ["iris@1.0.0", "iris@2.0.0", "tiny@7.0.0"])
        #expect(try Data(contentsOf: catalog.fileURL) == before)
    }

    @Test func importLegacy_metadataSurvivesReopeningTheCatalog() throws {
        let (directory, catalog, legacy) = try setUp(legacy: Self.seedFile)
        defer { try? FileManager.default.removeItem(at: directory) }
        try catalog.importLegacy(from: legacy)

        let reopened = try ModelCatalog(fileURL: catalog.fileURL)

        #expect(try reopened.version(name: "iris", version: "2.0.0").metadata.metrics["accuracy"] == 0.97)
        #expect(try reopened.list() == catalog.list())
    }

    @Test func importLegacy_conflictingPathForAnExistingVersion_throwsAndWritesNothing() throws {
        let (directory, catalog, legacy) = try setUp(legacy: Self.seedFile)
        defer { try? FileManager.default.removeItem(at: directory) }
        try catalog.register(ModelVersion(name: "tiny", version: "7.0.0", path: "/elsewhere/tiny.gguf", format: .gguf))
        let before = try Data(contentsOf: catalog.fileURL)

        let error = #expect(throws: RegistryError.self) { try catalog.importLegacy(from: legacy) }
        guard case .versionAlreadyExists(let name, let version)? = error else {
            Issue.record("expected versionAlreadyExists, got \(String(describing: error))")
            return
        }
        #expect(name == "tiny" && version == "7.0.0")
        #expect(try Data(contentsOf: catalog.fileURL) == before)
    }

    @Test(arguments: [
        (#"{"versions": []}"#, "models"),
        (#"{"models": [{"name": "iris", "version": "1.2", "path": "a.onnx"}]}"#, "models[0].version"),
        (#"{"models": [{"name": "iris", "version": 1.5, "path": "a.onnx"}]}"#, "models[0].version"),
        (#"{"models": [{"name": "iris", "version": -1, "path": "a.onnx"}]}"#, "models[0].version"),
        (#"{"models": [{"name": "iris", "version": 1, "path": "a.bin"}]}"#, "models[0].path"),
        (#"{"models": [{"name": " ", "version": 1, "path": "a.onnx"}]}"#, "models[0].name"),
        (#"{"models": [{"name": "iris", "version": 1, "path": "a.onnx", "metrics": {"acc": "high"}}]}"#,
         "models[0].metrics.acc"),
        (#"{"models": [{"name": "iris", "version": 1, "path": "a.onnx", "stage": "live"}]}"#, "models[0].stage"),
        (#"{"models": [{"name": "a", "version": 1, "path": "a.onnx"}, {"name": "a", "version": 1, "path": "b.onnx"}]}"#,
         "models[1].version"),
        (#"{"models": [{"name": "a", "version": 1, "path": "a.onnx", "stage": "production"}, "#
            + #"{"name": "a", "version": 2, "path": "b.onnx", "stage": "production"}]}"#, "models[1].stage"),
    ])
    func importLegacy_badEntry_namesTheFieldAndWritesNothing(contents: String, field: String) throws {
        let (directory, catalog, legacy) = try setUp(legacy: contents)
        defer { try? FileManager.default.removeItem(at: directory) }

        let error = #expect(throws: RegistryError.self) { try catalog.importLegacy(from: legacy) }

        guard case .corruptCatalog(let file, let reason)? = error else {
            Issue.record("expected corruptCatalog, got \(String(describing: error))")
            return
        }
        #expect(file == legacy.path)
        #expect(reason.contains(field), "\(reason)")
        #expect(try catalog.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: catalog.fileURL.path))
    }

    @Test func open_catalogInTheLegacyShape_isRefusedNotGuessed() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.seedFile.utf8).write(to: file)

        #expect(throws: RegistryError.self) { try ModelCatalog(fileURL: file) }
    }
}
