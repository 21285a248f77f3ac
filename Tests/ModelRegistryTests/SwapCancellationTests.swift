import ModelRegistry
import Testing

/// A side-by-side swap whose caller is cancelled stops its load: no second engine is left loaded behind the registry's
/// back, and the old version goes on serving. A swap that an unload or a newer swap cancels is an abandoned load: its
/// engine goes on loading, and the next load or swap of the model waits until it has loaded and been freed.
@Suite(.timeLimit(.minutes(2))) struct SwapCancellationTests {
    /// A registry serving `a` at version 1, its log, and a side-by-side swap to version 2 whose engine is loading, held
    /// at `gate`.
    private func swapHeldLoading() async throws -> (
        fixture: Fixture, registry: ModelRegistry, log: EventLog, gate: Gate, swap: Task<VersionSwap?, any Error>
    ) {
        let fixture = Fixture()
        let registry = fixture.registry([Self.version("1")], options: RegistryOptions())
        let log = EventLog(registry)
        try await registry.load("a")
        let gate = fixture.script.holdLoads(of: "a")
        let swap = Task { try await registry.swap("a", to: Self.version("2")) }
        await gate.waitForWaiters()
        return (fixture, registry, log, gate, swap)
    }

    private static func version(_ version: String) -> ModelConfiguration {
        var model = Fixture.model("a")
        model.version = version
        return model
    }

    private static func isCancelled(_ error: any Error) -> Bool {
        if case RegistryError.loadCancelled(name: "a") = error { true } else { false }
    }

    @Test func unloadCancellingASideBySideSwap_theNextLoadBeginsOnlyOnceTheSwapsEngineHasLoadedAndBeenFreed()
        async throws
    {
        let (fixture, registry, log, gate, swap) = try await swapHeldLoading()
        let serving = try await registry.record(of: "a").id
        try await registry.unload("a")  // cancels the swap; version 2's engine goes on loading until the gate opens

        let reload = Task { try await registry.load("a") }
        await log.waitFor { $0.kind.shortLabel == "loadStarted" && $0.modelID != serving }
        gate.open()
        _ = try await reload.value
        await #expect { try await swap.value } throws: { Self.isCancelled($0) }
        #expect(fixture.script.contexts.map(\.configuration.version) == ["1", "2", "1"])
        #expect(fixture.script.journal(of: "a") == ["load", "load", "unload", "unload", "load"],
                "version 1 unloads, version 2 loads to its end and is freed, and only then version 1 loads again")
        #expect(try await registry.record(of: "a").state.kind == .loaded)
    }

    @Test func newerSwapReplacingOneStillLoading_beginsItsLoadOnlyOnceTheReplacedEngineHasLoadedAndBeenFreed()
        async throws
    {
        let (fixture, registry, log, gate, replaced) = try await swapHeldLoading()
        let newer = Task { try await registry.swap("a", to: Self.version("3")) }
        await log.waitFor { event in
            if case .swapStarted(let swap) = event.kind { swap.to == "3" } else { false }
        }
        gate.open()
        let swapped = try await newer.value
        #expect(swapped?.mode == .sideBySide)
        await #expect { try await replaced.value } throws: { Self.isCancelled($0) }
        await log.waitFor("a", "retired")  // version 1 drained and unloaded
        #expect(fixture.script.contexts.map(\.configuration.version) == ["1", "2", "3"])
        #expect(fixture.script.journal(of: "a") == ["load", "load", "unload", "load", "unload"],
                "version 2 loads to its end and is freed before version 3 loads; then version 1 retires")
        #expect(try await registry.record(of: "a").configuration.version == "3")
        try await registry.withModel("a", as: ScriptedEngine.self) { engine in #expect(engine.echo(1) == "a:1") }
    }

    @Test func cancellingTheSwapsCaller_whileItsLoadWaitsForASlot_leavesNoEngineLoaded() async throws {
        let fixture = Fixture()
        let registry = fixture.registry([Fixture.model("a"), Fixture.model("b"), Fixture.model("c")],
                                        options: RegistryOptions(maxConcurrentLoads: 1))
        let log = EventLog(registry)
        try await registry.load("a")
        let gate = fixture.script.holdLoads(of: "b")
        let loadingB = Task { try await registry.load("b") }
        await gate.waitForWaiters()  // b holds the only load slot
        var next = Fixture.model("a")
        next.version = "2"
        let swap = Task { try await registry.swap("a", to: next) }
        await log.waitFor { event in
            if case .swapStarted = event.kind { event.name == "a" } else { false }
        }
        swap.cancel()
        let swapped = await swap.result
        guard case .failure(let error) = swapped, case RegistryError.loadCancelled(name: "a") = error else {
            Issue.record("expected loadCancelled for a, got \(swapped)")
            return
        }

        gate.open()
        _ = try await loadingB.value
        // c's load takes the slot after anything queued before it: the swap's load, had it gone on, is over by now.
        try await registry.load("c")
        #expect(fixture.script.loads(of: "a") - fixture.script.unloads(of: "a") == 1, "only the serving engine of a")
        let record = try await registry.record(of: "a")
        #expect(record.state.kind == .loaded)
        try await registry.withModel("a", as: ScriptedEngine.self) { engine in #expect(engine.echo(1) == "a:1") }
        await registry.shutdown()
    }
}
