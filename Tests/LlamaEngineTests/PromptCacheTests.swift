@testable import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(3))) struct PromptCacheTests {
    static let base = "the cat and the dog sat in the sun with the red tree and the blue moon"

    @Test func sharedPrefix_isReused_andTheOutputIsUnchanged() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 2)
        let options = GenerationOptions(maxTokens: 16)
        let longer = Self.base + " and one star"
        let cold = try await engine.complete(prompt: longer, options: options)
        #expect(cold.usage.cachedTokens == 0)
        try await engine.clearPromptCache()

        _ = try await engine.complete(prompt: Self.base, options: options)
        let warm = try await engine.complete(prompt: longer, options: options)
        let baseTokens = try await engine.tokenize(Self.base, addSpecial: true)
        let longerTokens = try await engine.tokenize(longer, addSpecial: true)
        #expect(warm.usage.promptTokens == longerTokens.count)
        #expect(warm.usage.cachedTokens >= baseTokens.count - 1)
        #expect(warm.usage.cachedTokens < longerTokens.count)
        #expect(warm.tokens == cold.tokens)
        await engine.unload()
    }

    @Test func samePromptTwice_reusesAllButTheLastToken() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 1)
        let first = try await engine.complete(prompt: Self.base, options: .init(maxTokens: 8))
        let second = try await engine.complete(prompt: Self.base, options: .init(maxTokens: 8))
        #expect(second.usage.cachedTokens == second.usage.promptTokens - 1)
        #expect(first.tokens == second.tokens)
        #expect(first.usage.generatedTokens == 8 && second.usage.generatedTokens == 8)
        await engine.unload()
    }

    @Test func requestGoesToTheSlotWithTheLongestCommonPrefix() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 2)
        let other = "one two three hello world model token text engine"
        // Fill both slots at once, so each keeps one prompt's tokens: the second request starts while the first is
        // still generating (it has 40 tokens to go), so it cannot take the first one's slot.
        let firstPiece = AsyncEvent()
        let a = Task {
            for try await piece in engine.generate(prompt: Self.base, options: .init(maxTokens: 40)) {
                if piece.token != nil { await firstPiece.signal() }
            }
        }
        await firstPiece.wait()
        _ = try await engine.complete(prompt: other, options: .init(maxTokens: 4))
        try await a.value
        let again = try await engine.complete(prompt: other + " swift", options: .init(maxTokens: 4))
        let otherTokens = try await engine.tokenize(other, addSpecial: true)
        #expect(again.usage.cachedTokens >= otherTokens.count - 1)
        let states = try await engine.sequenceStates()
        #expect(states.contains { $0.cachedTokens >= otherTokens.count })
        await engine.unload()
    }
}
