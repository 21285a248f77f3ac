import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct CancellationTests {
    /// A registry (with its event log) whose model `a` is loading, its engine held at `gate`; `load` is the
    /// request that started the load.
    private func heldLoad() async -> (
        fixture: Fixture, registry: ModelRegistry, log: EventLog, gate: Gate, load: Task<ModelRecord, any Error>
    ) {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let gate = fixture.script.holdLoads(of: "a")
        let load = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        return (fixture, registry, log, gate, load)
    }

    @Test func cancelLoad_failsWaitersWithCancelled_andUnloadsTheLateEngine() async throws {
        let (fixture, registry, log, gate, waiter) = await heldLoad()

        try await registry.cancelLoad("a")
        await #expect {
            try await waiter.value
        } throws: { error in
            guard case RegistryError.loadCancelled(let name) = error else { return false }
            return name == "a"
        }
        guard case .failed(.loadCancelled) = try await registry.state(of: "a") else {
            Issue.record("expected failed(loadCancelled)")
            return
        }
        gate.open()
        await fixture.script.waitForUnload(of: "a")
        #expect(fixture.script.unloads(of: "a") == 1)
        #expect(try await registry.state(of: "a").isFailed)
        #expect(log.labels().prefix(2) == ["a loadStarted", "a loadFailed"])
    }

    @Test func cancelledCaller_stopsWaiting_butTheSharedLoadGoesOn() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let impatient = Task { try await registry.load("a") }
        let patient = Task { try await registry.load("a") }
        await gate.waitForWaiters()

        impatient.cancel()
        await #expect(throws: RegistryError.self) { try await impatient.value }
        gate.open()
        let record = try await patient.value
        #expect(record.state.isLoaded)
        #expect(fixture.script.loads(of: "a") == 1)
    }

    @Test func loadTimeout_endsFailedWithTimedOut() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let waiter = Task { try await registry.load("a", timeout: .seconds(5)) }
        await gate.waitForWaiters()
        await fixture.clock.waitForSleepers()

        fixture.clock.advance(by: .seconds(5))
        await #expect {
            try await waiter.value
        } throws: { error in
            guard case RegistryError.loadTimedOut(let name, let after) = error else { return false }
            return name == "a" && after == .seconds(5)
        }
        guard case .failed(.loadTimedOut) = try await registry.state(of: "a") else {
            Issue.record("expected failed(loadTimedOut)")
            return
        }
        gate.open()
        await fixture.script.waitForUnload(of: "a")
    }

    @Test func engineStillLoadingAfterItsLoadTimedOut_publishesNoMoreProgress() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let gate = fixture.script.holdLoads(of: "a")
        let waiter = Task { try await registry.load("a", timeout: .seconds(5)) }
        await gate.waitForWaiters()
        let context = try #require(fixture.script.contexts.last)
        context.reportProgress(0.25)  // while the load is current: published
        await log.waitFor("a", "loadProgress")

        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(5))
        await #expect(throws: RegistryError.self) { try await waiter.value }
        await log.waitFor("a", "loadFailed")
        context.reportProgress(0.75)  // the engine goes on loading, but its load is settled
        try await registry.register(Fixture.model("marker"))
        await log.waitFor("marker", "registered")
        let afterFailure = log.labels(for: "a").drop { $0 != "a loadFailed" }
        #expect(!afterFailure.contains("a loadProgress"), "\(log.labels(for: "a"))")
        #expect(log.labels(for: "a").filter { $0 == "a loadProgress" }.count == 1)
        gate.open()
        await fixture.script.waitForUnload(of: "a")
    }

    @Test func configuredLoadTimeout_applies() async throws {
        let fixture = Fixture()
        var model = Fixture.model("a")
        model.loadTimeout = .seconds(2)
        let registry = ModelRegistry(factory: fixture.factory(), models: [model], clock: fixture.clock)
        let gate = fixture.script.holdLoads(of: "a")
        let waiter = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(2))
        await #expect(throws: RegistryError.self) { try await waiter.value }
        gate.open()
    }

    @Test func loadFinishingBeforeTheTimeout_succeeds() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let record = try await registry.load("a", timeout: .seconds(5))
        #expect(record.state.isLoaded)
        fixture.clock.advance(by: .seconds(10))
        #expect(await registry.isLoaded("a"))
    }

    @Test func unloadWhileLoading_cancelsTheLoad() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let waiter = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        try await registry.unload("a")
        await #expect(throws: RegistryError.self) { try await waiter.value }
        #expect(try await registry.state(of: "a").kind == .unloaded)
        gate.open()
    }

    @Test func aLoadAfterAnUnloadCancelledOne_beginsOnlyOnceThatEngineHasLoadedAndBeenFreed() async throws {
        let (fixture, registry, log, gate, first) = await heldLoad()  // the first engine is loading
        try await registry.unload("a")  // cancels that load; the engine goes on loading until the gate opens
        await #expect(throws: RegistryError.self) { try await first.value }
        await log.waitFor("a", "loadFailed")  // and so the first loadStarted before it
        let firstLoad = log.all.first { $0.kind.shortLabel == "loadStarted" }?.modelID

        let second = Task { try await registry.load("a") }
        await log.waitFor { $0.kind.shortLabel == "loadStarted" && $0.modelID != firstLoad }
        gate.open()
        _ = try await second.value
        #expect(fixture.script.journal(of: "a") == ["load", "unload", "load"])
        #expect(try await registry.state(of: "a").kind == .loaded)
    }
}
