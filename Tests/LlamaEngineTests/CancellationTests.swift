import Dispatch
@testable import LlamaEngine
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct CancellationTests {
    @Test func cancellingOneOfFourRequests_othersGiveTheirSoloOutput_itsSlotIsFreed() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 4)
        let prompts = ["the cat", "a dog and", "hello world", "one two three"]
        let options = GenerationOptions(maxTokens: 24)
        var solo: [GenerationResult] = []
        for prompt in prompts.dropFirst() { solo.append(try await engine.complete(prompt: prompt, options: options)) }
        try await engine.clearPromptCache()

        let firstPiece = AsyncEvent()
        let cancelled = Task {
            var received = 0
            for try await piece in engine.generate(prompt: prompts[0], options: .init(maxTokens: 2000)) {
                received += 1
                if piece.token != nil { break }  // the stream is dropped here
            }
            await firstPiece.signal()
            return received
        }
        async let others = withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for (index, prompt) in prompts.dropFirst().enumerated() {
                group.addTask { (index, try await engine.complete(prompt: prompt, options: options)) }
            }
            var results = [GenerationResult?](repeating: nil, count: 3)
            for try await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        await firstPiece.wait()
        #expect(try await cancelled.value == 1)
        let results = try await others
        #expect(results.map(\.tokens) == solo.map(\.tokens))
        #expect(results.allSatisfy { $0.stopReason == .maxTokens })

        // The loop frees the dropped request's slot at its next step, which may come after the others have finished.
        // Had it not been freed, the request would have generated its 2000 tokens and kept them cached.
        try await engine.waitUntilIdle()
        let states = try await engine.sequenceStates()
        #expect(states.filter { $0.cachedTokens == 0 && $0.lastPosition == -1 }.count == 1)
        #expect(states.filter { $0.cachedTokens > 0 && $0.lastPosition == $0.cachedTokens - 1 }.count == 3)
        await engine.unload()
    }

    @Test func consumerTaskCancelled_streamFinishes_engineStillUsable() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 8192)
        let consumer = Task {
            var received = 0
            for try await _ in engine.generate(prompt: "the", options: .init(maxTokens: 8000)) {
                received += 1
                // the consumer's own task is cancelled at its first token, so a starved test task cannot let the
                // whole generation finish first
                if received == 1 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return received
        }
        let received = try await consumer.value
        #expect(received >= 1 && received < 8000)
        let after = try await engine.complete(prompt: "hello", options: .init(maxTokens: 3))
        #expect(after.tokens.count == 3 && after.stopReason == .maxTokens)
        await engine.unload()
    }

    @Test func unload_endsRunningAndWaitingRequestsWithCancelled_thenRefusesWork() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048, parallel: 2)
        let running = AsyncEvent(count: 2)
        let streams = (0..<3).map { engine.generate(prompt: "the \($0)", options: .init(maxTokens: 2000)) }
        let consumers = streams.enumerated().map { index, stream in
            Task {
                var last: GeneratedPiece?
                for try await piece in stream {
                    if last == nil, index < 2 { await running.signal() }
                    last = piece
                }
                return last
            }
        }
        await running.wait()  // two generate; the third waits for a slot
        await engine.unload()
        for consumer in consumers {
            let last = try await consumer.value
            #expect(last?.stopReason == .cancelled)
            #expect(last?.token == nil)
        }
        await #expect(throws: LlamaError.self) { try await engine.tokenize("hello", addSpecial: true) }
        let error = try await #require(throws: LlamaError.self) { for try await _ in engine.generate(prompt: "x") {} }
        guard case .notLoaded = error else { Issue.record("unexpected \(error)"); return }
    }

    @Test func requestsBeyondParallelAndQueueCapacity_failAtOnceWithQueueFull() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048, parallel: 1, queueCapacity: 1)
        let first = AsyncEvent()
        let runningStream = engine.generate(prompt: "the", options: .init(maxTokens: 2000))
        let runner = Task {
            var last: GeneratedPiece?
            for try await piece in runningStream {
                if last == nil { await first.signal() }
                last = piece
            }
            return last
        }
        await first.wait()
        let waiting = engine.generate(prompt: "a", options: .init(maxTokens: 2))
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: "b", options: .init(maxTokens: 2)) {}
        }
        guard case .queueFull(let model, let running, let queued, let capacity) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(model == "tiny" && running == 1 && queued == 1 && capacity == 1)
        #expect(error.description.contains("1 requests running and 1 waiting"))
        await engine.unload()
        #expect(try await runner.value?.stopReason == .cancelled)
        var last: GeneratedPiece?
        for try await piece in waiting { last = piece }
        #expect(last?.stopReason == .cancelled)
    }

    @Test func cancelledBeforeQueueRuns_throwsCancellationError() async throws {
        let engine = try await LlamaFixtures.engine()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await engine.tokenize("hello", addSpecial: true)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try await engine.tokenize("hello", addSpecial: true).count > 1)
        await engine.unload()
    }
}

@Suite(.timeLimit(.minutes(2))) struct UnloadDuringLoadTests {
    @Test func unloadWhileLoading_loadThrowsCancellation_modelNotKept() async throws {
        let engine = LlamaEngine()
        let gate = DispatchSemaphore(value: 0)
        engine.queue.async { gate.wait() }  // hold the engine's queue so the load waits in it
        let context = EngineLoadContext(modelID: ModelID(), configuration: LlamaFixtures.configuration(LlamaFixtures.tinyLLM))
        let load = Task { try await engine.load(context) }
        // An engine publishes no events (the registry does): its health is the only sign of these two states.
        try await waitUntil { await engine.healthCheck().description.contains("still loading") }
        let unload = Task { await engine.unload() }
        try await waitUntil { await engine.healthCheck().description.contains("was unloaded") }
        gate.signal()
        await unload.value
        await #expect(throws: CancellationError.self) { try await load.value }
        #expect(await engine.memoryFootprint() == nil)

        try await engine.load(context)
        #expect(await engine.healthCheck() == .healthy)
        await engine.unload()
    }
}
