import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// A model loaded again right after it unloaded: its new workers exist as soon as the load returns, whatever the
/// worker registry's listener has handled of the old load's events.
@Suite(.timeLimit(.minutes(2))) struct WorkerRegistryReloadTests {
    /// Models `a` and `b`, one worker each, and `marker`, loaded, with workers started.
    private func setUp() async throws -> (Fixture, ModelRegistry, WorkerRegistry) {
        let fixture = Fixture()
        let registry = ModelRegistry(
            factory: fixture.factory(),
            models: ["a", "b", "marker"].map { Fixture.model($0, workers: 1, queue: 4) }, clock: fixture.clock)
        let workers = WorkerRegistry(registry: registry)
        await workers.start()
        for name in ["a", "b", "marker"] { try await registry.load(name) }
        return (fixture, registry, workers)
    }

    /// Submits in a task that runs at once until the request waits in the model's queue (or runs).
    private func submitNow<Result: Sendable>(
        _ workers: WorkerRegistry, to name: String,
        _ operation: @escaping @Sendable (any InferenceEngine) async throws -> Result
    ) -> Task<Result, any Error> {
        Task.immediate { try await workers.submit(to: name, operation) }
    }

    @Test func loadRightAfterUnload_hasWorkersOnceItReturns_whileTheListenerIsBehind() async throws {
        let (fixture, registry, workers) = try await setUp()
        let poolEvents = workers.events(bufferingPolicy: .unbounded)
        let oldLoad = try #require(try await registry.record(of: "a").id)

        // a: one request runs (its lease holds a's unload back) and one waits in the queue.
        let aRunning = Gate()
        let first = submitNow(workers, to: "a") { _ in await aRunning.wait(); return 0 }
        await aRunning.waitForWaiters()
        let queued = submitNow(workers, to: "a") { _ in 1 }
        // b: one request runs, so b's unload times out.
        let bRunning = Gate()
        let busy = submitNow(workers, to: "b") { _ in await bRunning.wait(); return 2 }
        await bRunning.waitForWaiters()

        let unloadingA = Task { try await registry.unload("a") }
        await #expect {
            try await queued.value
        } throws: { error in
            guard case RegistryError.requestCancelledByUnload(let name) = error else { return false }
            return name == "a"
        }
        // The listener has handled a's unloadStarted (it failed the queued request). Now it handles b's
        // unloadAborted, which waits for b's running request: it cannot handle a's unloaded, published after.
        let unloadingB = Task { try await registry.unload("b", drainTimeout: .seconds(1)) }
        await fixture.clock.waitForSleepers(2)  // a's unload waits for its lease too, with the default deadline
        fixture.clock.advance(by: .seconds(1))
        await #expect(throws: RegistryError.self) { try await unloadingB.value }
        aRunning.open()
        #expect(try await first.value == 0)
        try await unloadingA.value

        try await registry.load("a")
        #expect(workers.status(of: "a")?.isAccepting == true, "a model's workers exist once its load returns")
        #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(3) } == "a:3")
        // The old load's workers, replaced, stop on their own; the new load's started before the load returned.
        let newLoad = try #require(try await registry.record(of: "a").id)
        let changes = await poolEvents.filter { $0.name == "a" }.prefix(2)
            .reduce(into: [ModelID: WorkerPoolEvent.Kind]()) { $0[$1.modelID] = $1.kind }
        #expect(changes == [oldLoad: .stopped, newLoad: .started(workers: 1)])

        // Let the listener catch up with every event so far: it handles marker's unload after a's old unloaded and
        // a's new loaded. The new workers must survive the old load's unloaded.
        bRunning.open()
        #expect(try await busy.value == 2)
        try await registry.unload("marker")
        _ = await poolEvents.first { $0.name == "marker" && $0.kind == .stopped }
        #expect(workers.models == ["a", "b"])
        #expect(workers.status(of: "a")?.isAccepting == true)
        #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(4) } == "a:4")
        await workers.stop()
    }

    @Test func unloadThenLoadAtOnce_repeatedly_everySubmitRuns_andEachLoadsWorkersStartThenStop() async throws {
        let (_, registry, workers) = try await setUp()
        let poolEvents = workers.events(bufferingPolicy: .unbounded)
        let rounds = 50
        for round in 0..<rounds {
            try await registry.unload("a")
            try await registry.load("a")
            #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(round) } == "a:\(round)")
        }
        await workers.stop()

        // Each round stops the old load's workers and starts the new one's; stop() stops all three models' last.
        let all = await poolEvents.prefix(2 * rounds + 3).reduce(into: [WorkerPoolEvent]()) { $0.append($1) }
        var kindsByLoad: [ModelID: [WorkerPoolEvent.Kind]] = [:]
        for event in all where event.name == "a" { kindsByLoad[event.modelID, default: []].append(event.kind) }
        #expect(kindsByLoad.count == rounds + 1)
        #expect(kindsByLoad.values.filter { $0 == [.started(workers: 1), .stopped] }.count == rounds)
        #expect(kindsByLoad.values.filter { $0 == [.stopped] }.count == 1, "the load before the subscription")
        #expect(workers.models.isEmpty)
    }

    @Test func sideBySideSwap_keepsTheWorkers_andTheSwappedVersionsUnloadStopsThem() async throws {
        let (_, registry, workers) = try await setUp()
        let poolEvents = workers.events(bufferingPolicy: .unbounded)
        var next = Fixture.model("a", workers: 1, queue: 4)
        next.version = "2"
        let swap = try await registry.swap("a", to: next)
        #expect(swap?.mode == .sideBySide)
        #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(1) } == "a:1")

        // The registry's events now carry the swap's id; the workers still follow them.
        try await registry.unload("a")
        let stopped = await poolEvents.first { $0.name == "a" }
        #expect(stopped?.kind == .stopped)
        #expect(workers.status(of: "a") == nil)
        try await registry.load("a")
        #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(2) } == "a:2")
        await workers.stop()
    }
}
