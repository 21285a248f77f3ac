import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct LeaseTests {
    @Test func unload_whileLeaseHeld_waitsForTheLeaseToEnd() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")

        let unloading = Task { try await registry.unload("a") }
        await log.waitFor("a", "unloadStarted")
        #expect(try await registry.state(of: "a").kind == .unloading)
        #expect(fixture.script.unloads(of: "a") == 0)

        await lease.release()
        try await unloading.value
        #expect(fixture.script.unloads(of: "a") == 1)
        #expect(try await registry.state(of: "a").kind == .unloaded)
    }

    @Test func withModel_holdsTheLeaseForTheBodyOnly() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let inside = Gate()
        let body = Task {
            try await registry.withModel("a", as: ScriptedEngine.self) { engine in
                await inside.wait()
                return engine.echo(7)
            }
        }
        await inside.waitForWaiters()  // the body runs, under its lease
        #expect(try await registry.record(of: "a").activeLeases == 1)
        let unloading = Task { try await registry.unload("a") }
        await log.waitFor("a", "unloadStarted")
        #expect(try await registry.state(of: "a").kind == .unloading)
        #expect(fixture.script.unloads(of: "a") == 0)

        inside.open()
        #expect(try await body.value == "a:7")
        try await unloading.value
        #expect(fixture.script.unloads(of: "a") == 1)
    }

    @Test func withModel_releasesTheLeaseWhenTheBodyThrows() async throws {
        struct BodyError: Error {}
        let registry = Fixture().registry(["a"])
        await #expect(throws: BodyError.self) {
            try await registry.withModel("a") { _ in throw BodyError() }
        }
        #expect(try await registry.record(of: "a").activeLeases == 0)
    }

    @Test func unload_leaseOutlastsTheDeadline_throwsAndStaysLoaded() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")

        let unloading = Task { try await registry.unload("a", drainTimeout: .seconds(3)) }
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(3))
        await #expect {
            try await unloading.value
        } throws: { error in
            guard case RegistryError.leasesStillHeld(let name, let count, let waited) = error else { return false }
            return name == "a" && count == 1 && waited == .seconds(3)
        }
        #expect(await registry.isLoaded("a"))
        #expect(fixture.script.unloads(of: "a") == 0)
        await log.waitFor("a", "unloadAborted")
        await lease.release()
    }

    /// An unregister whose drain outlasts its deadline leaves the model registered and loaded: a request that waited
    /// for that unload is served by it, rather than failing as if the model had been unregistered.
    @Test func requestWaitingOnAnUnregisterWhoseDrainGivesUp_isServedByTheModelThatStays() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(
            [Fixture.model("a")],
            options: RegistryOptions(unloadDrainTimeout: .seconds(3), defaultLoadTimeout: .seconds(60)))
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let unregistering = Task { try await registry.unregister("a") }
        await log.waitFor("a", "unloadStarted")
        let sleepers = fixture.clock.sleeperCount  // the drain's deadline
        let request = Task { try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(1) } }
        await fixture.clock.waitForSleepers(sleepers + 1)  // the request's deadline: it waits for the unload
        fixture.clock.advance(by: .seconds(3))
        await #expect {
            try await unregistering.value
        } throws: { error in
            guard case RegistryError.leasesStillHeld(let name, _, _) = error else { return false }
            return name == "a"
        }
        #expect(try await request.value == "a:1")
        #expect(await registry.isLoaded("a"))
        #expect(fixture.script.loads(of: "a") == 1)
        await lease.release()
    }

    @Test func get_whileUnloading_waitsForTheUnload_thenLoadsAgain() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let unloading = Task { try await registry.unload("a") }
        await log.waitFor("a", "unloadStarted")

        let request = Task { try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(1) } }
        await lease.release()
        try await unloading.value
        #expect(try await request.value == "a:1")
        #expect(fixture.script.loads(of: "a") == 2)
        #expect(fixture.script.unloads(of: "a") == 1)
        #expect(try await registry.record(of: "a").activeLeases == 0)
    }

    @Test func load_whileUnloading_endsWhenCancelled_orWhenItsTimeoutPasses_thenLoadsOnceTheUnloadEnds() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let unloading = Task { try await registry.unload("a") }  // drains until the lease ends
        await log.waitFor("a", "unloadStarted")

        let cancelled = Task { try await registry.load("a") }
        cancelled.cancel()
        let refused = await cancelled.result
        if case .failure(RegistryError.loadCancelled(let name)) = refused { #expect(name == "a") } else {
            Issue.record("expected loadCancelled, got \(refused)")
        }

        let sleepers = fixture.clock.sleeperCount
        let bounded = Task { try await registry.load("a", timeout: .seconds(5)) }
        await fixture.clock.waitForSleepers(sleepers + 1)  // its deadline
        fixture.clock.advance(by: .seconds(5))
        let outcome = await bounded.result
        if case .failure(RegistryError.loadTimedOut(let name, let after)) = outcome {
            #expect(name == "a" && after == .seconds(5))
        } else {
            Issue.record("expected loadTimedOut, got \(outcome)")
        }

        let waiting = Task { try await registry.load("a") }
        await lease.release()
        try await unloading.value
        #expect(try await waiting.value.state.kind == .loaded)
        #expect(fixture.script.loads(of: "a") == 2)
        #expect(fixture.script.unloads(of: "a") == 1)
    }

    @Test func get_whoseLoadAnUnloadCancels_loadsAgain() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")
        let request = Task { try await registry.withModel("a", as: ScriptedEngine.self) { $0.echo(2) } }
        await gate.waitForWaiters()

        try await registry.unload("a")
        gate.open()
        #expect(try await request.value == "a:2")
        #expect(try await registry.record(of: "a").loadCount == 1)
    }

    @Test func unregister_failsTheRequestsWaitingForTheUnload() async throws {
        let registry = Fixture().registry(["a"])
        let log = EventLog(registry)
        let lease = try await registry.get("a")
        let unregistering = Task { try await registry.unregister("a") }
        await log.waitFor("a", "unloadStarted")

        let request = Task { try await registry.get("a") }
        await lease.release()
        try await unregistering.value
        await #expect {
            try await request.value
        } throws: { error in
            guard case RegistryError.unregistered(let name) = error else { return false }
            return name == "a"
        }
    }

    @Test func lease_asWrongEngineType_isAClearError() async throws {
        let registry = Fixture().registry(["a"])
        await #expect {
            try await registry.withModel("a", as: OtherEngine.self) { _ in 1 }
        } throws: { error in
            "\(error)" == "model \"a\" runs on ScriptedEngine, not OtherEngine"
        }
    }

    @Test func droppedLease_isReleasedWhenDeallocated() async throws {
        let registry = Fixture().registry(["a"])
        do { _ = try await registry.get("a") }
        #expect(try await registry.record(of: "a").activeLeases == 0)  // counted down in the lease's deinit
        try await registry.unload("a")
        #expect(await !registry.isLoaded("a"))
    }

    @Test func concurrentUnloads_shareOneUnload() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        try await registry.load("a")
        async let first: Void = registry.unload("a")
        async let second: Void = registry.unload("a")
        _ = try await (first, second)
        #expect(fixture.script.unloads(of: "a") == 1)
    }
}
