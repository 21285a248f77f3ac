import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct EventTests {
    @Test func twoSubscribers_seeTheSameEventsInTheSameOrder() async throws {
        let registry = Fixture().registry(["a", "b"])
        let first = EventLog(registry)
        let second = EventLog(registry)
        try await registry.load("a")
        try await registry.load("b")
        try await registry.unload("a")
        await first.waitFor("a", "unloaded")
        await second.waitFor("a", "unloaded")

        #expect(first.all.map(\.sequence) == second.all.map(\.sequence))
        #expect(first.labels() == second.labels())
        #expect(first.labels(for: "a") == ["a loadStarted", "a loaded", "a unloadStarted", "a unloaded"])
        let sequences = first.all.map(\.sequence)
        #expect(sequences == sequences.sorted())
    }

    @Test func slowSubscriber_neverBlocksTheRegistry_andLosesOnlyItsOwnOldestEvents() async throws {
        let registry = Fixture().registry(["a"])
        let slow = registry.events(bufferingPolicy: .bufferingNewest(2))
        let fast = EventLog(registry)

        for _ in 0..<5 {
            try await registry.load("a")
            try await registry.unload("a")
        }
        await fast.waitFor { $0.sequence == 20 }
        #expect(fast.all.count == 20)
        #expect(registry.droppedEventCount == 18)

        var iterator = slow.makeAsyncIterator()
        let kept = [await iterator.next(), await iterator.next()].compactMap { $0?.sequence }
        #expect(kept == [19, 20])
    }

    @Test func endedSubscriber_isRemoved() async throws {
        let registry = Fixture().registry(["a"])
        let log = EventLog(registry)
        #expect(registry.subscriberCount == 1)
        await log.stop()
        #expect(registry.subscriberCount == 0)
        try await registry.load("a")
        #expect(registry.subscriberCount == 0)
    }

    @Test func events_carryNameIDEngineTypeAndError() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        fixture.script.failLoads(of: "a")
        _ = try? await registry.load("a")
        await log.waitFor("a", "loadFailed")

        let failed = try #require(log.all.last)
        #expect(failed.name == "a")
        #expect(failed.engine == .test)
        #expect(failed.modelType == .llm)
        #expect(failed.modelID == log.all.first?.modelID)
        guard case .loadFailed(let error) = failed.kind else {
            Issue.record("expected loadFailed")
            return
        }
        #expect("\(error)".contains("scripted failure loading a"))
    }

    @Test func shutdown_endsEveryStream() async throws {
        let registry = Fixture().registry(["a"])
        let stream = registry.events()
        try await registry.load("a")
        await registry.shutdown()
        var labels: [String] = []
        for await event in stream { labels.append(event.kind.shortLabel) }
        #expect(labels == ["loadStarted", "loaded", "unloadStarted", "unloaded"])
        #expect(await registry.loadedModels.isEmpty)
    }

    @Test func registerAndUnregister_arePublished() async throws {
        let registry = Fixture().registry([])
        let log = EventLog(registry)
        try await registry.register(Fixture.model("n"))
        try await registry.unregister("n")
        await log.waitFor("n", "unregistered")
        #expect(log.labels() == ["n registered", "n unregistered"])
    }
}
