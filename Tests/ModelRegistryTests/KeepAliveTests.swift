import Foundation
@testable import ModelRegistry
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

    /// A keep-alive countdown holds the registry weakly: a registry its owner dropped without `shutdown()` is freed
    /// at once, with the engines it holds, instead of living until the countdown ends.
    @Test func droppedRegistry_withAKeepAliveCountdownPending_isFreed() async throws {
        let fixture = Fixture()
        weak var dropped: ModelRegistry?
        do {
            let registry = fixture.registry(["a"], options: RegistryOptions(defaultKeepAlive: .idle(.seconds(600))))
            try await registry.withModel("a") { _ in }
            await fixture.clock.waitForSleepers()  // the countdown runs
            dropped = registry
        }
        #expect(dropped == nil)
        #expect(fixture.clock.sleeperCount == 1, "the countdown itself still sleeps, holding nothing")
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
        try await registry.withModel("a") { _ in }  // on the fast path: the countdown is not told
        #expect(fixture.clock.sleeperCount == 1)

        // Due 10 s after the first lease; the second ended 6 s ago, so the countdown starts again from its end.
        fixture.clock.advance(by: .seconds(6))
        await fixture.clock.waitForSleepers()
        #expect(await registry.isLoaded("a"))
        fixture.clock.advance(by: .seconds(4))
        await log.waitFor("a", "unloaded")
        #expect(await registry.statistics.evictions == 1)
    }

    @Test func idleKeepAlive_keepsTheLeaseFastPathOpen_zeroKeepAliveClosesIt() async throws {
        let (_, registry, _) = setUp(.idle(.seconds(10)))
        try await registry.load("a")
        let fast = try #require(registry.leaseTable.tryLease("a"), "leases of an idle keep-alive model take no actor hop")
        #expect(registry.leaseTable.release(fast) == .quiet)
        #expect(registry.leaseTable.figures("a").idleSince != nil, "its lease ends are recorded for the countdown")

        let (_, zero, _) = setUp(.idle(.zero))
        try await zero.load("a")
        #expect(zero.leaseTable.tryLease("a") == nil, "a keep-alive of 0 must hear of every lease's end")
    }

    @Test func heldLease_keepsTheModelPastItsKeepAlive_thenItExpiresFromTheLeasesEnd() async throws {
        let (fixture, registry, log) = setUp(.idle(.seconds(1)))
        let lease = try await registry.get("a")
        for _ in 0..<5 {  // each time the countdown comes due it finds the lease held, and starts again
            await fixture.clock.waitForSleepers()
            fixture.clock.advance(by: .seconds(1))
        }
        await fixture.clock.waitForSleepers()
        #expect(await registry.isLoaded("a"))
        #expect(await registry.statistics.evictions == 0)
        await lease.release()
        fixture.clock.advance(by: .seconds(1))
        await log.waitFor("a", "unloaded")
    }

    @Test func countdownCancelledDuringACapacityWait_isArmedAgainWhenTheFastPathReopens() async throws {
        let fixture = Fixture()
        var pinned = Fixture.model("a")
        pinned.pinned = true
        let options = RegistryOptions(
            maxLoadedModels: 1, capacityWaitTimeout: .seconds(5), defaultKeepAlive: .idle(.seconds(10)))
        let registry = fixture.registry([pinned, Fixture.model("b")], options: options)
        let log = EventLog(registry)
        try await registry.load("a")
        await fixture.clock.waitForSleepers()  // a's countdown

        let loading = Task { try await registry.load("b") }  // a is pinned: b waits for room, closing a's fast path
        await fixture.clock.waitForSleepers(2)  // and the capacity wait's deadline
        let lease = try await registry.get("a")  // through the actor, whose lease cancels a's countdown
        fixture.clock.advance(by: .seconds(5))
        await #expect(throws: RegistryError.self) { try await loading.value }
        await lease.release()  // a's fast path is open again: this end reaches no one
        try #require(await registry.hasKeepAliveCountdown("a"), "a model whose fast path reopens counts down again")

        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(10))
        await log.waitFor("a", "unloaded")
        #expect(await registry.statistics.evictions == 1)
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

extension ModelRegistry {
    /// Whether the model is loaded with its keep-alive countdown armed.
    func hasKeepAliveCountdown(_ name: String) -> Bool { entries[name]?.lifecycle.loaded?.idleTimer != nil }
}
