import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Version swaps on scripted engines: what a swap that fails leaves serving.
@Suite(.timeLimit(.minutes(2))) struct SwapTests {
    @Test func failedResourcePreservingSwap_loadsTheOldVersionAgain_whichServes() async throws {
        let fixture = Fixture()
        var current = try Fixture.sizedModel("a", bytes: 600)
        current.version = "1"
        var next = try Fixture.sizedModel("a", bytes: 600)  // both do not fit the budget: the old one unloads first
        next.version = "2"
        let registry = fixture.registry([current], options: RegistryOptions(memoryBudget: 1_000))
        let log = EventLog(registry)
        try await registry.load("a")
        fixture.script.failLoads(of: "a")  // the new version's load

        await #expect {
            try await registry.swap("a", to: next)
        } throws: { error in
            guard case RegistryError.loadFailed(let name, _) = error else { return false }
            return name == "a"
        }
        let modes = log.all.compactMap { event -> VersionSwap.Mode? in
            if case .swapStarted(let swap) = event.kind { swap.mode } else { nil }
        }
        #expect(modes == [.resourcePreserving])
        let record = try await registry.record(of: "a")
        #expect(record.state.kind == .loaded, "\(record.state)")
        #expect(record.configuration.version == "1")
        #expect(fixture.script.contexts.map(\.configuration.path) == [current.path, next.path, current.path])
        try await registry.withModel("a", as: ScriptedEngine.self) { engine in #expect(engine.echo(1) == "a:1") }
        await log.waitFor("a", "loaded")
        #expect(log.labels(for: "a").filter { $0.hasPrefix("a swap") } == ["a swapStarted", "a swapFailed"])
    }
}
