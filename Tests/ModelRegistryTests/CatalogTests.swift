import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct CatalogTests {
    @Test func open_missingFile_isEmptyAndCreatesNoFile() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        #expect(try catalog.list().isEmpty)
        #expect(try catalog.names().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func register_newVersion_isListedAndReadBack() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        let iris = CatalogFixtures.version("iris", "1.0.0")
        let stored = try catalog.register(iris)
        #expect(stored.id == "iris@1.0.0")
        #expect(stored.stage == .development)
        #expect(try catalog.list() == [stored])
        #expect(try catalog.version(name: "iris", version: "1.0.0") == stored)
        #expect(stored.metadata.tags == ["test"] && stored.metadata.sizeBytes == 1234)
    }

    @Test func register_duplicateVersion_throwsVersionAlreadyExistsAndKeepsFirst() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        let first = try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
        var duplicate = CatalogFixtures.version("iris", "1.0.0")
        duplicate.path = "/elsewhere.onnx"
        let error = #expect(throws: RegistryError.self) { try catalog.register(duplicate) }
        guard case .versionAlreadyExists(let name, let version)? = error else {
            Issue.record("expected versionAlreadyExists, got \(String(describing: error))")
            return
        }
        #expect(name == "iris" && version == "1.0.0")
        #expect(try catalog.list() == [first])
    }

    @Test func list_severalModels_filtersByNameAndOrdersVersionsBySemver() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        for version: SemanticVersion in ["1.10.0", "1.2.0", "1.0.0", "1.0.0-rc.1"] {
            try catalog.register(CatalogFixtures.version("llama", version, format: .gguf))
        }
        try catalog.register(CatalogFixtures.version("iris", "0.1.0"))

        #expect(try catalog.versions(of: "llama") == ["1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0"])
        #expect(try catalog.list(name: "llama").map(\.version) == ["1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0"])
        #expect(try catalog.list(name: "iris").map(\.id) == ["iris@0.1.0"])
        #expect(try catalog.list(name: "absent").isEmpty)
        #expect(try catalog.names() == ["iris", "llama"])
        #expect(try catalog.list().map(\.name) == ["iris", "llama", "llama", "llama", "llama"])
    }

    @Test func version_missing_throwsVersionNotFoundListingVersions() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.1.0"))
        try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
        let error = #expect(throws: RegistryError.self) { try catalog.version(name: "iris", version: "2.0.0") }
        guard case .versionNotFound(let name, let version, let available)? = error else {
            Issue.record("expected versionNotFound, got \(String(describing: error))")
            return
        }
        #expect(name == "iris" && version == "2.0.0" && available == ["1.0.0", "1.1.0"])
        #expect(error?.description.contains("1.0.0, 1.1.0") == true)
    }

    @Test func promote_replacesProduction_previousMovesToStagingAndOneProductionRemains() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        for version: SemanticVersion in ["1.0.0", "1.1.0", "2.0.0"] {
            try catalog.register(CatalogFixtures.version("iris", version))
        }
        try catalog.register(CatalogFixtures.version("other", "1.0.0", stage: .production))

        #expect(try catalog.promote(name: "iris", version: "1.0.0").stage == .production)
        #expect(try catalog.promote(name: "iris", version: "1.1.0").stage == .production)
        let stages = try catalog.list(name: "iris").map(\.stage)
        #expect(stages == [.staging, .production, .development])
        #expect(try catalog.production(of: "iris").version == "1.1.0")
        // Other models are not touched.
        #expect(try catalog.production(of: "other").version == "1.0.0")

        try catalog.promote(name: "iris", version: "2.0.0")
        #expect(try catalog.list(name: "iris").map(\.stage) == [.staging, .staging, .production])
    }

    @Test func register_inProduction_demotesCurrentProduction() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.0.0", stage: .production))
        try catalog.register(CatalogFixtures.version("iris", "1.1.0", stage: .production))
        #expect(try catalog.list(name: "iris").map(\.stage) == [.staging, .production])
    }

    @Test func promote_missingVersion_throwsAndChangesNothing() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.0.0", stage: .production))
        let before = try Data(contentsOf: file)
        #expect(throws: RegistryError.self) { try catalog.promote(name: "iris", version: "9.9.9") }
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func archive_productionVersion_leavesNoProduction() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
        try catalog.promote(name: "iris", version: "1.0.0")
        #expect(try catalog.archive(name: "iris", version: "1.0.0").stage == .archived)
        let error = #expect(throws: RegistryError.self) { try catalog.production(of: "iris") }
        guard case .noProductionVersion(let name, let available)? = error else {
            Issue.record("expected noProductionVersion, got \(String(describing: error))")
            return
        }
        #expect(name == "iris" && available == ["1.0.0"])
    }

    @Test func production_unknownModel_throwsNoProductionVersion() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        let error = #expect(throws: RegistryError.self) { try catalog.production(of: "ghost") }
        guard case .noProductionVersion(let name, let available)? = error else {
            Issue.record("expected noProductionVersion, got \(String(describing: error))")
            return
        }
        #expect(name == "ghost" && available.isEmpty)
    }

    @Test func remove_version_dropsOnlyIt() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
        try catalog.register(CatalogFixtures.version("iris", "1.1.0"))
        #expect(try catalog.remove(name: "iris", version: "1.0.0").version == "1.0.0")
        #expect(try catalog.versions(of: "iris") == ["1.1.0"])
    }

    @Test func reopen_afterChanges_readsTheSameCatalog() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let catalog = try ModelCatalog(fileURL: file)
            try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
            try catalog.register(CatalogFixtures.version("llama", "0.1.0-rc.1", format: .gguf))
            try catalog.promote(name: "iris", version: "1.0.0")
        }
        let reopened = try ModelCatalog(fileURL: file)
        let versions = try reopened.list()
        #expect(versions.map(\.id) == ["iris@1.0.0", "llama@0.1.0-rc.1"])
        #expect(versions.map(\.stage) == [.production, .development])
        #expect(versions.map(\.format) == [.onnx, .gguf])
        #expect(versions[0].metadata == CatalogFixtures.version("iris", "1.0.0").metadata)
        // Dates are stored with millisecond precision.
        #expect(abs(versions[0].registeredAt.timeIntervalSinceNow) < 3600)
    }
}
