import Foundation
import LlamaEngine
import ModelRegistryTestSupport
import Testing

/// The prompt cache on a recurrent model (llama.cpp's "mamba" architecture), whose memory holds one state per
/// sequence and so cannot forget only the end of a cached sequence (`llama_memory_seq_rm` refuses): a request that
/// shares only part of a slot's cache must start that sequence over instead of decoding after a stale state.
@Suite(.timeLimit(.minutes(3))) struct RecurrentPromptCacheTests {
    /// A tiny random-weight Mamba model, written once per test process by `Fixtures/make_tiny_mamba.py`.
    static let tinyMamba = Task {
        let url = try NativeFixtures.temporaryDirectory().appendingPathComponent("tiny-mamba.gguf")
        _ = try await LlamaFixtures.python([
            LlamaFixtures.fixturesFolder.appendingPathComponent("make_tiny_mamba.py").path, url.path,
        ])
        return url
    }

    static let base = "the cat and the dog sat in the sun with the red tree"

    @Test(arguments: [base + " and the blue moon", base])
    func promptSharingPartOfTheCache_startsTheSequenceOver_andMatchesAFreshEngine(second: String) async throws {
        let model = try await Self.tinyMamba.value
        let options = GenerationOptions(maxTokens: 8)
        let fresh = try await LlamaFixtures.engine(model, parallel: 1)
        let expected = try await fresh.complete(prompt: second, options: options)
        await fresh.unload()

        let engine = try await LlamaFixtures.engine(model, parallel: 1)
        let first = try await engine.complete(prompt: Self.base, options: options)
        #expect(first.usage.generatedTokens == 8)
        // One slot: the second request gets the first one's cache, which it shares only in part (the first
        // request's generated tokens follow the prompt there).
        let warm = try await engine.complete(prompt: second, options: options)
        #expect(warm.usage.cachedTokens == 0)
        #expect(warm.tokens == expected.tokens)
        #expect(warm.usage.generatedTokens == 8)
        await engine.unload()
    }
}
