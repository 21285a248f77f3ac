import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct KeepAliveTests {
    private func setUp(_ keepAlive: KeepAlive) -> (Fixture, ModelRegistry, EventLog) {
        let fixture = Fixture()
        let registry = fixture.registry(["a"], options: RegistryOptions(defaultKeepAlive: keepAlive))
        return (fixture, registry, EventLog(registry))
    }

    @Test func idleModel_unloadsWhenItsKeepAliveExpires() async throws {
        let (fixture, registry, log) = setUp(.idle(.seconds(10)))
        try await registry.withModel("a") { _ in }
        await fixture.clock.waitForSleepers()

        fixture.clock.advance(by: .seconds(9))
        #expect(await registry.isLoaded("a"))
        fixture.clock.advance(by: .seconds(1))
        await log.waitFor("a", "unloaded")
        #expect(log.labels(for: "a").suffix(3) == ["a evicted", "a unloadStarted", "a unloaded"])
        #expect(await registry.statistics.evictions == 1)
    }

    @Test func zeroKeepAlive_unloadsWhenTheLastLeaseEnds() async throws {
        let (_, registry, log) = setUp(.idle(.zero))
        let first = try await registry.get("a")
        let second = try await registry.get("a")
        await first.release()
        #expect(await registry.isLoaded("a"))
        await second.release()
        await log.waitFor("a", "unloaded")
    }

    @Test func newLease_restartsTheCountdownFromItsEnd() async throws {
        let (fixture, registry, log) = setUp(.idle(.seconds(10)))
        try await registry.withModel("a") { _ in }
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(6))
        try await registry.withModel("a") { _ in }
        await fixture.clock.waitForSleepers()

        fixture.clock.advance(by: .seconds(6))
        #expect(await registry.isLoaded("a"))
        fixture.clock.advance(by: .seconds(4))
        await log.waitFor("a", "unloaded")
    }

    @Test func heldLease_keepsTheModelPastItsKeepAlive() async throws {
        let (fixture, registry, _) = setUp(.idle(.seconds(1)))
        let lease = try await registry.get("a")
        fixture.clock.advance(by: .seconds(3600))
        #expect(await registry.isLoaded("a"))
        #expect(fixture.clock.sleeperCount == 0)
        await lease.release()
    }

    @Test func foreverKeepAlive_neverUnloads() async throws {
        let (fixture, registry, _) = setUp(.forever)
        try await registry.withModel("a") { _ in }
        #expect(fixture.clock.sleeperCount == 0)
        fixture.clock.advance(by: .seconds(86_400))
        #expect(await registry.isLoaded("a"))
    }

    @Test func modelKeepAlive_overridesTheRegistryDefault() async throws {
        let fixture = Fixture()
        var model = Fixture.model("a")
        model.keepAlive = .idle(.seconds(2))
        let registry = fixture.registry([model], options: RegistryOptions(defaultKeepAlive: .forever))
        let log = EventLog(registry)
        try await registry.load("a")
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(2))
        await log.waitFor("a", "unloaded")
        #expect(await !registry.isLoaded("a"))
        let reasons = log.all.compactMap { event -> String? in
            if case .evicted(let reason) = event.kind { reason } else { nil }
        }
        #expect(reasons == ["idle for its keep-alive of 2.0 seconds"])
    }

    @Test func keepAlive_decodesForeverAndSeconds() throws {
        let json = #"{"models": {"a": {"engine": "test", "type": "llm", "path": "/x", "keepAlive": 2.5},"#
            + #" "b": {"engine": "test", "type": "llm", "path": "/y", "keepAlive": "forever"}},"#
            + #" "registry": {"keepAlive": 0, "maxLoadedModels": 3}}"#
        let configuration = try RegistryConfiguration.decode(Data(json.utf8), file: "inline")
        #expect(configuration.models[0].keepAlive == .idle(.milliseconds(2500)))
        #expect(configuration.models[1].keepAlive == .forever)
        #expect(configuration.options.defaultKeepAlive == .idle(.zero))
        #expect(configuration.options.maxLoadedModels == 3)
    }
}
