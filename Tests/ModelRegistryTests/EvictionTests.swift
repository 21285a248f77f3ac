import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct EvictionTests {
    @Test func maxLoadedModels_evictsTheLeastRecentlyUsedIdleModel() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(
            ["a", "b", "c"].map { Fixture.model($0) }, options: RegistryOptions(maxLoadedModels: 2))
        let log = EventLog(registry)
        try await registry.load("a")
        try await registry.load("b")
        try await registry.withModel("a") { _ in }

        try await registry.load("c")
        #expect(await registry.loadedModels == ["a", "c"])
        await log.waitFor("b", "unloaded")
        let evicted = try #require(log.all.first { $0.kind.shortLabel == "evicted" })
        #expect(evicted.name == "b")
        #expect(evicted.kind.label.contains("to make room for \"c\""))
    }

    @Test func memoryPressure_evictsIdleModels_butNeverOneWithALeaseHeld() async throws {
        let fixture = Fixture()
        let models = [
            try Fixture.sizedModel("leased", bytes: 600), try Fixture.sizedModel("idle", bytes: 300),
            try Fixture.sizedModel("new", bytes: 400),
        ]
        let registry = fixture.registry(models, options: RegistryOptions(memoryBudget: 1_000))
        try await registry.load("idle")
        let lease = try await registry.get("leased")
        try await registry.withModel("idle") { _ in }

        try await registry.load("new")
        #expect(await registry.loadedModels == ["leased", "new"])
        #expect(await registry.statistics.memoryInUse == 1_000)
        #expect(try await registry.record(of: "leased").memoryBytes == 600)
        await lease.release()
    }

    @Test func pinnedModel_isNeverEvicted_andTheLoadFailsNamingWhatHoldsTheMemory() async throws {
        let fixture = Fixture()
        let models = [try Fixture.sizedModel("pinned", bytes: 800, pinned: true), try Fixture.sizedModel("b", bytes: 500)]
        let registry = fixture.registry(
            models, options: RegistryOptions(memoryBudget: 1_000, capacityWaitTimeout: .seconds(5)))
        try await registry.load("pinned")

        let loading = Task { try await registry.load("b") }
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(5))
        await #expect {
            try await loading.value
        } throws: { error in
            guard case RegistryError.insufficientCapacity(let name, let needed, _, let holders) = error else {
                return false
            }
            return name == "b" && needed == 500 && holders.map(\.name) == ["pinned"] && holders[0].pinned
                && "\(error)".contains("pinned (800 bytes, loaded, pinned)")
        }
        #expect(await registry.loadedModels == ["pinned"])
    }

    /// Also when the cancelled model is unregistered before its engine is done: the registry, not the gone model,
    /// then keeps its reservation.
    @Test(arguments: [false, true])
    func cancelledLoadsBytes_stayCounted_untilItsEngineIsGone_thenTheWaitingLoadProceeds(
        unregistered: Bool
    ) async throws {
        let fixture = Fixture()
        let models = [try Fixture.sizedModel("a", bytes: 600), try Fixture.sizedModel("b", bytes: 600)]
        let registry = fixture.registry(
            models, options: RegistryOptions(memoryBudget: 1_000, capacityWaitTimeout: .seconds(5)))
        let gate = fixture.script.holdLoads(of: "a")
        let abandoned = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        try await registry.cancelLoad("a")
        await #expect(throws: RegistryError.self) { try await abandoned.value }
        if unregistered { try await registry.unregister("a") }
        #expect(await registry.statistics.memoryInUse == 600, "a's engine is still loading")

        let loading = Task { try await registry.load("b") }
        await fixture.clock.waitForSleepers()
        #expect(try await registry.state(of: "b").kind == .loading)
        gate.open()
        let record = try await loading.value
        #expect(record.state.isLoaded)
        #expect(fixture.script.unloads(of: "a") == 1, "a's late engine was unloaded before b was admitted")
        #expect(await registry.statistics.memoryInUse == 600)
    }

    /// A swap's old version still unloading when its model is unregistered holds its bytes until its engine is gone.
    @Test func retiredVersionStillUnloading_whenItsModelIsUnregistered_staysCountedUntilItsEngineIsGone() async throws {
        let fixture = Fixture()
        func version(_ version: String) throws -> ModelConfiguration {
            var model = try Fixture.sizedModel("a", bytes: 600)
            model.version = version
            return model
        }
        let registry = fixture.registry(
            [try version("1"), try Fixture.sizedModel("b", bytes: 800)],
            options: RegistryOptions(memoryBudget: 1_300, capacityWaitTimeout: .seconds(5)))
        try await registry.load("a")
        let gate = fixture.script.holdNextUnload(of: "a")
        let swapped = try await registry.swap("a", to: try version("2"))
        #expect(swapped?.mode == .sideBySide)
        await gate.waitForWaiters()  // version 1 unloading
        try await registry.unregister("a")  // version 2 unloads at once
        #expect(await registry.statistics.memoryInUse == 600, "version 1's engine is still unloading")

        let loading = Task { try await registry.load("b") }
        await fixture.clock.waitForSleepers()
        #expect(try await registry.state(of: "b").kind == .loading)
        gate.open()
        #expect(try await loading.value.state.isLoaded)
        #expect(fixture.script.unloads(of: "a") == 2)
        #expect(await registry.statistics.memoryInUse == 800)
    }

    @Test func loadWaitingForRoom_proceedsWhenTheLeaseEnds() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(
            [Fixture.model("a"), Fixture.model("b")], options: RegistryOptions(maxLoadedModels: 1))
        let lease = try await registry.get("a")
        let loading = Task { try await registry.load("b") }
        await fixture.clock.waitForSleepers()
        #expect(try await registry.state(of: "b").kind == .loading)

        await lease.release()
        let record = try await loading.value
        #expect(record.state.isLoaded)
        #expect(await registry.loadedModels == ["b"])
    }

    @Test func modelLargerThanTheBudget_failsAtOnce_evictingNothing() async throws {
        let fixture = Fixture()
        let models = [try Fixture.sizedModel("huge", bytes: 5_000), try Fixture.sizedModel("idle", bytes: 400)]
        let registry = fixture.registry(models, options: RegistryOptions(memoryBudget: 1_000))
        try await registry.load("idle")
        await #expect {
            try await registry.load("huge")
        } throws: { error in
            "\(error)".contains("larger than the whole memory budget of 1000 bytes")
        }
        #expect(await registry.loadedModels == ["idle"], "evicting could not have made room")
        #expect(await registry.statistics.evictions == 0)
    }
}
