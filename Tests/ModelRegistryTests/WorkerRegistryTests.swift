import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct WorkerRegistryTests {
    private func setUp(workers: Int = 2, queue: Int = 8) async -> (Fixture, ModelRegistry, WorkerRegistry, EventLog) {
        let fixture = Fixture()
        let registry = ModelRegistry(
            factory: fixture.factory(), models: [Fixture.model("a", workers: workers, queue: queue)],
            clock: fixture.clock)
        let log = EventLog(registry)
        let workers = WorkerRegistry(registry: registry)
        await workers.start()
        return (fixture, registry, workers, log)
    }

    /// Submits in a task that starts at once and runs until the request waits in the model's queue (or for room in
    /// it): requests submitted one after another queue in that order, and a test reads the queue without waiting.
    private func submitNow<Result: Sendable>(
        _ workers: WorkerRegistry, _ operation: @escaping @Sendable (any InferenceEngine) async throws -> Result
    ) -> Task<Result, any Error> {
        Task.immediate { try await workers.submit(to: "a", operation) }
    }

    @Test func modelLoad_startsItsConfiguredWorkers_andRequestsRunOnTheEngine() async throws {
        let (_, registry, workers, _) = await setUp(workers: 3)
        #expect(workers.models.isEmpty)
        try await registry.load("a")
        #expect(workers.status(of: "a") != nil, "a model's workers exist once its load returns")

        #expect(workers.status(of: "a")?.workers == 3)
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(i) }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(results == Set((0..<20).map { "a:\($0)" }))
        #expect(try await registry.record(of: "a").useCount == 20)
        await workers.stop()
    }

    @Test func submit_toAModelWithoutWorkers_isAClearError() async throws {
        let (_, _, workers, _) = await setUp()
        await #expect {
            try await workers.submit(to: "a") { _ in 1 }
        } throws: { error in
            "\(error)".hasPrefix("no workers serve model \"a\"")
        }
        await workers.stop()
    }

    @Test func unload_cancelsQueuedRequests_drainsRunningOnes_andStopsWorkers() async throws {
        let (_, registry, workers, log) = await setUp(workers: 1, queue: 4)
        try await registry.load("a")
        #expect(workers.status(of: "a") != nil, "a model's workers exist once its load returns")
        let poolEvents = workers.events()
        let running = Gate()
        let first = submitNow(workers) { _ in await running.wait(); return "first" }
        await running.waitForWaiters()
        let queued = submitNow(workers) { _ in "queued" }
        #expect(workers.status(of: "a")?.inFlight == 1 && workers.status(of: "a")?.queued == 1)

        let unloading = Task { try await registry.unload("a") }
        await #expect {
            try await queued.value
        } throws: { error in
            guard case RegistryError.requestCancelledByUnload(let name) = error else { return false }
            return name == "a"
        }
        #expect(await registry.isLoaded("a") == false)
        #expect(try await registry.state(of: "a").kind == .unloading)

        running.open()
        #expect(try await first.value == "first")
        try await unloading.value
        await log.waitFor("a", "unloaded")
        // The workers stop when their listener handles that event, a moment after the unload returns.
        let stopped = await poolEvents.first { $0.name == "a" }
        #expect(stopped?.kind == .stopped)
        #expect(workers.models.isEmpty)
        await #expect(throws: RegistryError.self) { try await workers.submit(to: "a") { _ in 0 } }
        await workers.stop()
    }

    @Test func drainAndUnload_runsQueuedRequestsFirst() async throws {
        let (_, registry, workers, _) = await setUp(workers: 1, queue: 4)
        try await registry.load("a")
        #expect(workers.status(of: "a") != nil, "a model's workers exist once its load returns")
        let running = Gate()
        let tasks = (0..<3).map { i in submitNow(workers) { _ in await running.wait(); return i } }
        await running.waitForWaiters()
        #expect(workers.status(of: "a")?.inFlight == 1 && workers.status(of: "a")?.queued == 2)
        let draining = Task { try await workers.drainAndUnload("a") }
        running.open()
        var results: [Int] = []
        for task in tasks { results.append(try await task.value) }
        try await draining.value
        #expect(results == [0, 1, 2])
        #expect(await registry.isLoaded("a") == false)
        await workers.stop()
    }

    /// One worker busy on request 0 until `running` opens, and request 1 filling the one-place queue.
    private func fullQueue() async throws -> (WorkerRegistry, Gate, busy: Task<Int, any Error>, queued: Task<Int, any Error>) {
        let (_, registry, workers, _) = await setUp(workers: 1, queue: 1)
        try await registry.load("a")
        #expect(workers.status(of: "a") != nil, "a model's workers exist once its load returns")
        let running = Gate()
        let busy = submitNow(workers) { _ in await running.wait(); return 0 }
        await running.waitForWaiters()
        let queued = submitNow(workers) { _ in 1 }
        #expect(workers.status(of: "a")?.inFlight == 1 && workers.status(of: "a")?.queued == 1)
        return (workers, running, busy, queued)
    }

    @Test func fullQueue_trySubmitIsRejected_andSubmitWaitsForRoom() async throws {
        let (workers, running, busy, waiting) = try await fullQueue()

        await #expect {
            try await workers.trySubmit(to: "a") { _ in 2 }
        } throws: { error in
            guard case RegistryError.queueFull(let name, let capacity) = error else { return false }
            return name == "a" && capacity == 1
        }
        let blocked = Task { try await workers.submit(to: "a") { _ in 3 } }
        running.open()
        #expect(try await busy.value == 0)
        #expect(try await waiting.value == 1)
        #expect(try await blocked.value == 3)
        await workers.stop()
    }

    @Test func cancelledSubmitter_whileWaitingForRoom_getsCancellation() async throws {
        let (workers, running, busy, queued) = try await fullQueue()
        let blocked = submitNow(workers) { _ in 2 }  // waits for room in the full queue
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
        running.open()
        #expect(try await busy.value == 0)
        #expect(try await queued.value == 1)
        await workers.stop()
    }

    @Test func modelsLoadedBeforeStart_getWorkers() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["early"])
        try await registry.load("early")
        let workers = WorkerRegistry(registry: registry)
        await workers.start()
        #expect(workers.models == ["early"])
        #expect(try await workers.submit(to: "early") { engine in (engine as! ScriptedEngine).echo(1) } == "early:1")
        await workers.stop()
    }

    @Test func abortedUnload_restartsTheWorkers() async throws {
        let (fixture, registry, workers, log) = await setUp(workers: 1)
        try await registry.load("a")
        #expect(workers.status(of: "a") != nil, "a model's workers exist once its load returns")
        let lease = try await registry.get("a")
        let poolEvents = workers.events()
        let unloading = Task { try await registry.unload("a", drainTimeout: .seconds(1)) }
        await fixture.clock.waitForSleepers()
        fixture.clock.advance(by: .seconds(1))
        await #expect(throws: RegistryError.self) { try await unloading.value }
        await log.waitFor("a", "unloadAborted")
        // The listener replaces the closed workers when it handles that event.
        let changes = await poolEvents.prefix(2).reduce(into: [WorkerPoolEvent.Kind]()) { $0.append($1.kind) }
        #expect(changes == [.stopped, .started(workers: 1)])
        #expect(workers.status(of: "a")?.isAccepting == true)
        #expect(try await workers.submit(to: "a") { engine in (engine as! ScriptedEngine).echo(5) } == "a:5")
        await lease.release()
        await workers.stop()
    }
}
