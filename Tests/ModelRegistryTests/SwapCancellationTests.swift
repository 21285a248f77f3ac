import ModelRegistry
import Testing

/// A side-by-side swap whose caller is cancelled stops its load: no second engine is left loaded behind the registry's
/// back, and the old version goes on serving.
@Suite(.timeLimit(.minutes(2))) struct SwapCancellationTests {
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
