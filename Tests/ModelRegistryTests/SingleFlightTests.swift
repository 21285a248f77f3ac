import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct SingleFlightTests {
    @Test func thousandConcurrentGets_ofAnUnloadedModel_loadTheEngineOnce() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let gate = fixture.script.holdLoads(of: "a")

        let ids = try await withThrowingTaskGroup(of: ModelID.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    let lease = try await registry.get("a")
                    await lease.release()
                    return lease.modelID
                }
            }
            await gate.waitForWaiters()
            gate.open()
            return try await group.reduce(into: Set<ModelID>()) { $0.insert($1) }
        }

        #expect(fixture.script.loads(of: "a") == 1)
        #expect(fixture.script.contexts.count == 1)
        #expect(ids.count == 1)
        let record = try await registry.record(of: "a")
        #expect(record.useCount == 1_000)
        #expect(record.activeLeases == 0)
    }

    @Test func getAfterLoad_returnsTheCachedEngine() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let first = try await registry.get("a")
        let second = try await registry.get("a")
        #expect(first.engine === second.engine)
        await first.release()
        await second.release()
        #expect(fixture.script.loads(of: "a") == 1)
    }

    @Test func loadAll_failsFastAndUnloadsWhatItLoaded() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["good", "bad", "slow"])
        let log = EventLog(registry)
        fixture.script.failLoads(of: "bad")
        let badGate = fixture.script.holdLoads(of: "bad")
        let slowGate = fixture.script.holdLoads(of: "slow")

        let loading = Task { try await registry.loadAll() }
        // "bad" fails only once "good" has loaded, so the failure finds one model this call loaded (otherwise it
        // would cancel good's load too, and good would never publish `unloaded`).
        await log.waitFor("good", "loaded")
        badGate.open()
        await expectLoadAll(loading, toFailLoading: "bad")
        slowGate.open()

        #expect(await registry.loadedModels.isEmpty)
        #expect(try await registry.state(of: "good").kind == .unloaded)
        #expect(try await registry.state(of: "slow").kind != .loaded)
        await log.waitFor("good", "unloaded")
        #expect(fixture.script.unloads(of: "good") == 1)
    }

    @Test func loadAll_cancelsTheLoadsStillRunning_andFreesTheirEnginesWhenTheyReturn() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["bad", "slow"])
        fixture.script.failLoads(of: "bad")
        let badGate = fixture.script.holdLoads(of: "bad")
        let slowGate = fixture.script.holdLoads(of: "slow")
        let loading = Task { try await registry.loadAll() }
        await slowGate.waitForWaiters()  // slow's engine is loading when bad fails
        badGate.open()
        await expectLoadAll(loading, toFailLoading: "bad")
        // loadAll returned while slow's engine was still loading: that load was cancelled, not waited for
        #expect(try await registry.state(of: "slow").kind == .unloaded)
        slowGate.open()
        await fixture.script.waitForUnload(of: "slow")  // the engine that finished loading after the cancel
        #expect(await registry.loadedModels.isEmpty)
        #expect(fixture.script.loads(of: "slow") == 1 && fixture.script.unloads(of: "slow") == 1)
    }

    /// Awaits a `loadAll` that must fail with the load error of `name`.
    private func expectLoadAll(
        _ loading: Task<Void, any Error>, toFailLoading name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        await #expect(sourceLocation: sourceLocation) {
            try await loading.value
        } throws: { error in
            guard case RegistryError.loadFailed(let failed, _) = error else { return false }
            return failed == name
        }
    }

    @Test func loadAll_keepsModelsThatWereLoadedBefore() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["before", "bad"])
        try await registry.load("before")
        fixture.script.failLoads(of: "bad")
        _ = try? await registry.loadAll()
        #expect(await registry.loadedModels == ["before"])
    }

    @Test func loadAll_loadsEveryModel() async throws {
        let registry = Fixture().registry(["a", "b", "c"])
        try await registry.loadAll()
        #expect(await registry.loadedModels == ["a", "b", "c"])
    }
}
