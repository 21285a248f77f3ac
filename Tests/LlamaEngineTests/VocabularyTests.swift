import Foundation
import LlamaEngine
import Testing

/// Our tokenizer calls against llama.cpp's own expected token ids, on tiny models grafted with real vocabularies.
@Suite(.timeLimit(.minutes(10))) struct VocabularyTests {
    @Test(arguments: ["llama-spm", "phi-3", "gpt-2", "qwen2"])
    func tokenize_matchesLlamaCppsExpectedTokens(vocabulary: String) async throws {
        let cases = try GraftedModels.expectedTokens(vocabulary)
        try #require(cases.count > 10, "expected llama.cpp's test cases for \(vocabulary)")
        let engine = try await LlamaFixtures.engine(try await GraftedModels.shared.model(vocabulary), parallel: 1)
        for (text, expected) in cases {
            let tokens = try await engine.tokenize(text, addSpecial: false)
            #expect(tokens == expected, "\(vocabulary): \(text.debugDescription)")
        }
        await engine.unload()
    }
}
