import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct LoadLimitTests {
    @Test func maxConcurrentLoads_runsOneAtATime_inRequestOrder() async throws {
        let fixture = Fixture()
        let names = ["a", "b", "c"]
        let registry = fixture.registry(names.map { Fixture.model($0) }, options: RegistryOptions(maxConcurrentLoads: 1))
        let gates = names.map { fixture.script.holdLoads(of: $0) }
        let log = EventLog(registry)
        var tasks: [Task<ModelRecord, any Error>] = []
        for name in names {  // each load has started (and queued its request for a slot) before the next is asked
            tasks.append(Task { try await registry.load(name) })
            await log.waitFor(name, "loadStarted")
        }
        await gates[0].waitForWaiters()
        #expect(fixture.script.contexts.map(\.name) == ["a"])
        #expect(await registry.statistics.queuedLoads == 2)

        gates[0].open()
        await gates[1].waitForWaiters()
        #expect(fixture.script.contexts.map(\.name) == ["a", "b"])
        gates[1].open()
        await gates[2].waitForWaiters()
        gates[2].open()
        for task in tasks { #expect(try await task.value.state.isLoaded) }
        #expect(fixture.script.contexts.map(\.name) == names)
        #expect(await registry.statistics.activeLoads == 0)
    }

    @Test func loadWaitingForASlot_canBeCancelled() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(
            [Fixture.model("a"), Fixture.model("b")], options: RegistryOptions(maxConcurrentLoads: 1))
        let gate = fixture.script.holdLoads(of: "a")
        let log = EventLog(registry)
        let first = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        let second = Task { try await registry.load("b") }
        await log.waitFor("b", "loadStarted")
        #expect(await registry.statistics.queuedLoads == 1)

        try await registry.cancelLoad("b")  // cancels the load's task, which leaves the slot queue there and then
        #expect(await registry.statistics.queuedLoads == 0)
        await #expect(throws: RegistryError.self) { try await second.value }
        gate.open()
        _ = try await first.value
        #expect(await registry.statistics.activeLoads == 0)
        #expect(fixture.script.contexts.map(\.name) == ["a"])
    }
}
