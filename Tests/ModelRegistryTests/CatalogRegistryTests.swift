import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// The registry loading "the production version of X" from a catalog.
@Suite(.timeLimit(.minutes(2))) struct CatalogRegistryTests {
    private func catalog() throws -> ModelCatalog {
        let catalog = try ModelCatalog(fileURL: try CatalogFixtures.catalogURL().file)
        for version: SemanticVersion in ["1.0.0", "1.1.0"] {
            try catalog.register(ModelVersion(
                name: "chat", version: version, path: "/models/chat-\(version).bin", format: .other,
                engine: .test, modelType: .llm))
        }
        return catalog
    }

    @Test func productionVersion_isRegisteredAndLoaded() async throws {
        let fixture = Fixture()
        let catalog = try catalog()
        try catalog.promote(name: "chat", version: "1.1.0")
        let registry = fixture.registry([])

        let configuration = try await registry.useProductionVersion(of: "chat", from: catalog) { $0.maxWorkers = 3 }
        #expect(configuration.path == "/models/chat-1.1.0.bin")
        #expect(configuration.maxWorkers == 3)
        try await registry.load("chat")
        #expect(fixture.script.contexts.last?.configuration.path == "/models/chat-1.1.0.bin")
    }

    @Test func promotingAnotherVersion_reloadsTheLoadedModelOnIt() async throws {
        let fixture = Fixture()
        let catalog = try catalog()
        try catalog.promote(name: "chat", version: "1.0.0")
        let registry = fixture.registry([])
        try await registry.useProductionVersion(of: "chat", from: catalog)
        let first = try await registry.load("chat").id

        try catalog.promote(name: "chat", version: "1.1.0")
        try await registry.useProductionVersion(of: "chat", from: catalog)
        let record = try await registry.record(of: "chat")
        #expect(record.state.isLoaded)
        #expect(record.id != first)
        #expect(record.configuration.path == "/models/chat-1.1.0.bin")
    }

    @Test func noProductionVersion_isAClearError() async throws {
        let registry = Fixture().registry([])
        await #expect {
            try await registry.useProductionVersion(of: "chat", from: try catalog())
        } throws: { error in
            "\(error)" == "catalog has no production version of chat; promote one of: 1.0.0, 1.1.0"
        }
    }
}
