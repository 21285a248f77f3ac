@testable import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(3))) struct ContinuousBatchingTests {
    static let prompts = ["the cat", "a dog and the", "hello world model", "one two three red green blue"]

    /// Runs every prompt at once and returns the results in prompt order.
    static func concurrently(
        _ engine: LlamaEngine, _ prompts: [String], options: GenerationOptions
    ) async throws -> [GenerationResult] {
        try await withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for (index, prompt) in prompts.enumerated() {
                group.addTask { (index, try await engine.complete(prompt: prompt, options: options)) }
            }
            var results = [GenerationResult?](repeating: nil, count: prompts.count)
            for try await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    @Test func greedy_fourConcurrentRequests_equalEachRunAlone() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 4)
        let options = GenerationOptions(maxTokens: 32)
        var alone: [GenerationResult] = []
        for prompt in Self.prompts {
            try await engine.clearPromptCache()
            alone.append(try await engine.complete(prompt: prompt, options: options))
        }
        try await engine.clearPromptCache()
        let together = try await Self.concurrently(engine, Self.prompts, options: options)
        #expect(together.map(\.tokens) == alone.map(\.tokens))
        #expect(together.map(\.text) == alone.map(\.text))
        #expect(together.allSatisfy { $0.stopReason == .maxTokens && $0.usage.generatedTokens == 32 })
        await engine.unload()
    }

    @Test func moreRequestsThanSequences_waitTheirTurn_andAllFinishWhole() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 2)
        let prompts = Self.prompts + Self.prompts.map { $0 + " tree" }
        let options = GenerationOptions(maxTokens: 12)
        var alone: [[Int32]] = []
        for prompt in prompts {
            try await engine.clearPromptCache()
            alone.append(try await engine.complete(prompt: prompt, options: options).tokens)
        }
        try await engine.clearPromptCache()
        let together = try await Self.concurrently(engine, prompts, options: options)
        #expect(together.map(\.tokens) == alone)
        let states = try await engine.sequenceStates()
        #expect(states.count == 2 && states.allSatisfy { !$0.busy })
        await engine.unload()
    }

    @Test func waitUntilIdle_returnsOnceEveryRequestHasLeftItsSlot() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 3)
        try await engine.waitUntilIdle()  // nothing submitted: at once
        var iterators = Self.prompts.prefix(3).map { engine.generate(prompt: $0, options: .init(maxTokens: 48)).makeAsyncIterator() }
        var tokens = [Int](repeating: 0, count: iterators.count)
        for index in iterators.indices {
            while let piece = try await iterators[index].next() {  // every request holds a slot from here on
                if piece.token != nil { tokens[index] += 1; break }
            }
        }
        try await engine.waitUntilIdle()
        #expect(try await engine.sequenceStates().allSatisfy { !$0.busy })
        var stops: [StopReason?] = []
        for index in iterators.indices {  // each stream already holds the rest of its request
            var stop: StopReason?
            while let piece = try await iterators[index].next() {
                if piece.token != nil { tokens[index] += 1 }
                stop = piece.stopReason ?? stop
            }
            stops.append(stop)
        }
        #expect(tokens == [48, 48, 48])
        #expect(stops == [.maxTokens, .maxTokens, .maxTokens])
        await engine.unload()
    }

    @Test func waitUntilIdle_whoseTaskIsCancelled_throwsWhileRequestsRun() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 1)
        var running = engine.generate(prompt: "the cat", options: .init(maxTokens: 100_000)).makeAsyncIterator()
        while let piece = try await running.next(), piece.token == nil {}
        let waiting = Task { try await engine.waitUntilIdle() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await engine.unload()  // ends the request as cancelled
        try await engine.waitUntilIdle()
    }

    @Test func concurrentRequests_reachingTheirContextLength_stopWithContextFull() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 64, parallel: 3)
        let contextLength = try #require(engine.contextLength)  // per sequence, padded by libllama
        let results = try await Self.concurrently(engine, Array(Self.prompts.prefix(3)), options: .init(maxTokens: 100_000))
        for (prompt, result) in zip(Self.prompts, results) {
            let promptTokens = try await engine.tokenize(prompt, addSpecial: true).count
            #expect(result.stopReason == .contextFull)
            #expect(result.tokens.count == contextLength - promptTokens + 1)
        }
        await engine.unload()
    }

    @Test func parallelSetting_isTheContextsSequenceCount_andMemoryCountsEverySequence() async throws {
        let one = try await LlamaFixtures.engine(parallel: 1)
        let four = try await LlamaFixtures.engine(parallel: 4)
        #expect(one.parallel == 1 && four.parallel == 4)
        #expect(one.contextLength == four.contextLength)
        let small = try #require(await one.memoryFootprint())
        let large = try #require(await four.memoryFootprint())
        #expect(large > small)
        await one.unload()
        await four.unload()
        let defaults = try await LlamaFixtures.engine()
        #expect(defaults.parallel == 4)
        await defaults.unload()
    }

    @Test func manyRequestsWithSomeCancelledPartWay_theRestEqualTheirSoloOutputs() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 3)
        let prompts = (0..<12).map { Self.prompts[$0 % 4] + String(repeating: " tree", count: $0 / 4) }
        let options = GenerationOptions(maxTokens: 10)
        var alone: [[Int32]] = []
        for prompt in prompts {
            try await engine.clearPromptCache()
            alone.append(try await engine.complete(prompt: prompt, options: options).tokens)
        }
        let outcomes = try await withThrowingTaskGroup(of: (Int, [Int32]?).self) { group in
            for (index, prompt) in prompts.enumerated() {
                group.addTask {
                    guard index % 3 == 0 else { return (index, try await engine.complete(prompt: prompt, options: options).tokens) }
                    var received = 0
                    for try await piece in engine.generate(prompt: prompt, options: .init(maxTokens: 500)) where piece.token != nil {
                        received += 1
                        if received == 1 + index / 3 { break }  // drop the stream after a few tokens
                    }
                    return (index, nil)
                }
            }
            var outcomes = [[Int32]?](repeating: nil, count: prompts.count)
            for try await (index, tokens) in group { outcomes[index] = tokens }
            return outcomes
        }
        for index in prompts.indices where index % 3 != 0 {
            #expect(outcomes[index] == alone[index], "request \(index)")
        }
        let after = try await engine.complete(prompt: prompts[0], options: options)
        #expect(after.tokens == alone[0])
        #expect(try await engine.sequenceStates().allSatisfy { !$0.busy })
        await engine.unload()
    }
}
