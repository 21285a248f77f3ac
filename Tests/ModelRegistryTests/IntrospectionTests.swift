import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct IntrospectionTests {
    @Test func names_andIsLoaded_neverTriggerALoad() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["b", "a"])
        #expect(await registry.availableModels == ["a", "b"])
        #expect(await registry.isLoaded("a") == false)
        #expect(await registry.isLoaded("unknown") == false)
        #expect(fixture.script.contexts.isEmpty)
        try await registry.load("b")
        #expect(await registry.loadedModels == ["b"])
    }

    @Test func modelsOfType_namesTheModelsOfThatType_sorted_withoutLoading() async throws {
        let fixture = Fixture()
        let models = [
            Fixture.model("b"), Fixture.model("e2", type: .embedding), Fixture.model("a"), Fixture.model("e1", type: .embedding),
        ]
        let registry = fixture.registry(models, options: RegistryOptions())
        #expect(await registry.models(ofType: .llm) == ["a", "b"])
        #expect(await registry.models(ofType: .embedding) == ["e1", "e2"])
        #expect(await registry.models(ofType: .classifier).isEmpty)
        try await registry.register(Fixture.model("c"))
        #expect(await registry.models(ofType: .llm) == ["a", "b", "c"])
        #expect(fixture.script.contexts.isEmpty)
    }

    @Test func record_countsUseAndTimes() async throws {
        let registry = Fixture().registry(["a"])
        for _ in 0..<3 { try await registry.withModel("a") { _ in } }
        let record = try await registry.record(of: "a")
        #expect(record.useCount == 3)
        #expect(record.lastUsedAt != nil)
        #expect(record.loadedAt != nil)
        #expect(record.configuration.name == "a")
        #expect(await registry.configurations.map(\.name) == ["a"])
    }

    @Test func health_aggregatesLoadedModels_andPublishesChanges() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a", "b"])
        let log = EventLog(registry)
        #expect(await registry.health == .unknown)
        try await registry.loadAll()
        await registry.checkHealth()
        #expect(await registry.health == .healthy)

        fixture.script.setHealth(.unhealthy(reason: "gpu lost"), for: "b")
        let results = await registry.checkHealth()
        #expect(results["b"] == .unhealthy(reason: "gpu lost"))
        #expect(try await registry.record(of: "b").health == .unhealthy(reason: "gpu lost"))
        #expect(await registry.health.label == "degraded")
        await log.waitFor("b", "healthChanged")

        fixture.script.setHealth(.unhealthy(reason: "gpu lost"), for: "a")
        await registry.checkHealth()
        #expect(await registry.health.label == "unhealthy")
    }

    @Test func defaultModel_resolvesOrExplains() async throws {
        let registry = Fixture().registry(["a", "b"])
        await #expect {
            try await registry.defaultModel()
        } throws: { error in
            "\(error)" == "no default model is configured; set \"defaultModel\" to one of: a, b"
        }
        try await registry.setDefaultModel("b")
        #expect(try await registry.defaultModel() == "b")
        await #expect(throws: RegistryError.self) { try await registry.setDefaultModel("zzz") }
    }

    @Test func runAsService_preloadsThenShutsDownOnCancellation() async throws {
        let fixture = Fixture()
        var eager = Fixture.model("eager")
        eager.preload = true
        let registry = ModelRegistry(factory: fixture.factory(), models: [eager, Fixture.model("lazy")], clock: fixture.clock)
        let log = EventLog(registry)
        let service = Task { try await registry.run() }
        await log.waitFor("eager", "loaded")
        #expect(await registry.loadedModels == ["eager"])
        service.cancel()
        try await service.value
        #expect(await registry.loadedModels.isEmpty)
        #expect(fixture.script.unloads(of: "eager") == 1)
    }

    @Test func runAsService_whenAPreloadFails_shutsDownAndThrowsTheLoadError() async throws {
        let fixture = Fixture()
        var good = Fixture.model("good")
        good.preload = true
        var bad = Fixture.model("bad")
        bad.preload = true
        fixture.script.failLoads(of: "bad")
        let registry = ModelRegistry(factory: fixture.factory(), models: [good, bad], clock: fixture.clock)
        let events = registry.events(bufferingPolicy: .unbounded)
        let collected = Task { await events.reduce(into: [String]()) { $0.append("\($1.name) \($1.kind.label)") } }
        await #expect {
            try await registry.run()
        } throws: { error in
            guard case RegistryError.loadFailed(let name, _) = error else { return false }
            return name == "bad"
        }
        #expect(await registry.loadedModels.isEmpty)
        #expect(await collected.value.contains { $0.hasPrefix("bad loadFailed") })  // returns: shutdown ended the stream
    }
}
