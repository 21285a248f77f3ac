import Dispatch
import Synchronization
@testable import LlamaEngine
import ModelRegistry
import Testing

@Suite struct CancellationTests {
    // The generation runs on the engine's own queue, as fast as it can, whatever the consumer does; so that these
    // tests do not depend on which side gets the CPU first, they hold the queue or the generation at a known point.

    @Test func consumerCancelledBeforeItsGenerationRuns_streamFinishes_nothingSampled_engineStillUsable() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048)
        let gate = DispatchSemaphore(value: 0)
        engine.queue.async { gate.wait() }  // the generation waits in the queue behind this
        let stream = engine.generate(prompt: "the", options: .init(maxTokens: 2000))
        let consumer = Task {
            withUnsafeCurrentTask { $0?.cancel() }  // cancel this consuming task
            var received = 0
            for try await _ in stream { received += 1 }
            return received
        }
        #expect(try await consumer.value == 0)
        gate.signal()

        // The next call runs after the generation on the engine's serial queue, so it sees how far it got.
        #expect(try await engine.lastGeneration() == GenerationTrace(sampledTokens: 0, stoppedInsideDecode: false))
        let after = try await engine.complete(prompt: "hello", options: .init(maxTokens: 3))
        #expect(after.tokens.count == 3 && after.stopReason == .maxTokens)
        await engine.unload()
    }

    @Test func cancelledAfterTheFirstPiece_generationStopsBeforeItsNextDecode() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048)
        let cancelled = CancellationFlag()
        let (trace, pieces) = try await engine.generateOnSession(
            prompt: "the", options: .init(maxTokens: 2000), isCancelled: { cancelled.isSet }
        ) { _ in cancelled.set() }
        #expect(trace == GenerationTrace(sampledTokens: 1, stoppedInsideDecode: false))
        #expect(pieces.count == 2)
        #expect(pieces.first?.token != nil && pieces.last?.stopReason == .cancelled)
        await engine.unload()
    }

    @Test func streamDropped_generationStops() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048)
        var iterator = engine.generate(prompt: "the", options: .init(maxTokens: 2000)).makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.token != nil)
        iterator = engine.generate(prompt: "a", options: .init(maxTokens: 1)).makeAsyncIterator()  // drops the first
        var last: GeneratedPiece?
        while let piece = try await iterator.next() { last = piece }
        #expect(last?.stopReason == .maxTokens)
        await engine.unload()
    }

    @Test func unloadDuringGeneration_stopsItAtTheNextStep_finalPieceSaysCancelled() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048)
        let firstPieceSeen = CancellationFlag()
        let resume = DispatchSemaphore(value: 0)
        let generation = Task {
            try await engine.generateOnSession(
                prompt: "the", options: .init(maxTokens: 2000), isCancelled: { false }
            ) { count in
                // Hold the generation after its first token until the unload has begun.
                guard count == 1 else { return }
                firstPieceSeen.set()
                resume.wait()
            }
        }
        while !firstPieceSeen.isSet { await Task.yield() }
        let unload = Task { await engine.unload() }
        while await !engine.healthCheck().description.contains("was unloaded") { await Task.yield() }
        resume.signal()

        let (_, pieces) = try await generation.value
        await unload.value
        #expect(pieces.count == 2)
        #expect(pieces.last?.token == nil && pieces.last?.stopReason == .cancelled)
        await #expect(throws: LlamaError.self) { try await engine.tokenize("hello", addSpecial: true) }
    }

    @Test func cancelledWhileThePromptDecodes_stopsInsideThatDecode_andTheNextGenerationIsWhole() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 2048)
        let cancellation = CancelledAfterFirstCheck()
        let (trace, pieces) = try await engine.generateOnSession(
            prompt: "the cat sat on the mat", options: .init(maxTokens: 5), isCancelled: cancellation.isCancelled)
        #expect(trace == GenerationTrace(sampledTokens: 0, stoppedInsideDecode: true))
        #expect(pieces == [GeneratedPiece(token: nil, text: "", stopReason: .cancelled)])

        let after = try await engine.complete(prompt: "the cat sat on the mat", options: .init(maxTokens: 3))
        #expect(after.tokens.count == 3 && after.stopReason == .maxTokens)
        await engine.unload()
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

@Suite struct UnloadDuringLoadTests {
    @Test func unloadWhileLoading_loadThrowsCancellation_modelNotKept() async throws {
        let engine = LlamaEngine()
        let gate = DispatchSemaphore(value: 0)
        engine.queue.async { gate.wait() }  // hold the engine's queue so the load waits in it
        let context = EngineLoadContext(modelID: ModelID(), configuration: LlamaFixtures.configuration(LlamaFixtures.tinyLLM))
        let load = Task { try await engine.load(context) }
        while await !engine.healthCheck().description.contains("still loading") { await Task.yield() }
        let unload = Task { await engine.unload() }
        while await !engine.healthCheck().description.contains("was unloaded") { await Task.yield() }
        gate.signal()
        await unload.value
        await #expect(throws: CancellationError.self) { try await load.value }
        #expect(await engine.memoryFootprint() == nil)

        try await engine.load(context)
        #expect(await engine.healthCheck() == .healthy)
        await engine.unload()
    }
}

/// Answers "not cancelled" to the first check (the one before the prompt's decode) and "cancelled" to every later
/// one, which libllama's abort callback asks while that decode runs.
private final class CancelledAfterFirstCheck: Sendable {
    private let checks = Atomic<Int>(0)

    func isCancelled() -> Bool { checks.add(1, ordering: .relaxed).newValue > 1 }
}

extension LlamaEngine {
    /// Runs one generation straight on the session, on the engine's queue, so a test chooses what `isCancelled`
    /// answers and when; `afterPiece` is called with the number of pieces so far, after each is collected.
    /// - Returns: The session's trace of the generation and every piece it emitted.
    func generateOnSession(
        prompt: String, options: GenerationOptions, isCancelled: @escaping @Sendable () -> Bool,
        afterPiece: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> (GenerationTrace?, [GeneratedPiece]) {
        try await withSession { session in
            var pieces: [GeneratedPiece] = []
            try session.generate(prompt: prompt, options: options, isCancelled: isCancelled) { piece in
                pieces.append(piece)
                afterPiece(pieces.count)
                return true
            }
            return (session.lastGeneration, pieces)
        }
    }
}
