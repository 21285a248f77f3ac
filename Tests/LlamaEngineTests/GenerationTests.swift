import Foundation
import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(3))) struct GenerationTests {
    @Test func greedy_sameOptionsTwice_sameOutput() async throws {
        let engine = try await LlamaFixtures.engine()
        let options = GenerationOptions(maxTokens: 12, temperature: 0, seed: 1)
        let first = try await engine.complete(prompt: "the cat", options: options)
        let second = try await engine.complete(prompt: "the cat", options: options)
        #expect(first.tokens.count == 12)
        #expect(first.tokens == second.tokens && first.text == second.text && first.stopReason == second.stopReason)
        await engine.unload()
    }

    @Test func sampled_fixedSeedTwice_sameOutput() async throws {
        let engine = try await LlamaFixtures.engine()
        let options = GenerationOptions(maxTokens: 16, temperature: 0.9, topK: 50, topP: 0.95, seed: 1234)
        let first = try await engine.complete(prompt: "hello world", options: options)
        let second = try await engine.complete(prompt: "hello world", options: options)
        #expect(!first.tokens.isEmpty)
        #expect(first.tokens == second.tokens && first.text == second.text && first.stopReason == second.stopReason)
        await engine.unload()
    }

    @Test func sampled_seedFromParameters_usedWhenOptionsHaveNone() async throws {
        let engine = try await LlamaFixtures.engine(parameters: ["seed": "99"])
        let implicit = try await engine.complete(prompt: "one two", options: .init(maxTokens: 16, temperature: 1))
        let explicit = try await engine.complete(prompt: "one two", options: .init(maxTokens: 16, temperature: 1, seed: 99))
        #expect(implicit.tokens == explicit.tokens)
        await engine.unload()
    }

    @Test func maxTokens_stopsAtExactlyThatCount() async throws {
        let engine = try await LlamaFixtures.engine()
        var pieces: [GeneratedPiece] = []
        for try await piece in engine.generate(prompt: "the", options: .init(maxTokens: 7)) { pieces.append(piece) }
        #expect(pieces.compactMap(\.token).count == 7)
        #expect(pieces.count == 8)  // 7 token pieces and the final piece
        let last = try #require(pieces.last)
        #expect(last.token == nil && last.stopReason == .maxTokens)
        #expect(pieces.dropLast().allSatisfy { $0.token != nil && $0.stopReason == nil })
        await engine.unload()
    }

    @Test func pieces_joinedText_equalsDetokenizedTokens() async throws {
        let engine = try await LlamaFixtures.engine()
        let result = try await engine.complete(prompt: "hello", options: .init(maxTokens: 20))
        // Detokenizing the generated ids in one call must give the streamed text, multi-byte characters included;
        // llama_detokenize drops the leading space of an SPM word piece, the streamed pieces keep it.
        let whole = try await engine.detokenize(result.tokens)
        let streamed = result.text.hasPrefix(" ") ? String(result.text.dropFirst()) : result.text
        #expect(streamed == whole)
        await engine.unload()
    }

    @Test func stopString_endsBeforeTheStopString() async throws {
        let engine = try await LlamaFixtures.engine()
        let free = try await engine.complete(prompt: "the dog", options: .init(maxTokens: 40))
        let characters = Array(free.text)
        try #require(characters.count >= 12, "the fixture produced too little text: \(free.text.debugDescription)")
        let stop = String(characters[8..<11])
        let range = try #require(free.text.range(of: stop))
        let expected = String(free.text[..<range.lowerBound])

        let stopped = try await engine.complete(prompt: "the dog", options: .init(maxTokens: 40, stop: [stop]))
        #expect(stopped.stopReason == .stopString(stop))
        #expect(stopped.text == expected)
        await engine.unload()
    }

    @Test func prompt_longerThanContext_throwsInputTooLong() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 64)
        let contextLength = try #require(engine.contextLength)  // libllama may round the requested length up
        let prompt = Array(repeating: "the cat and the dog", count: contextLength).joined(separator: " ")
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: prompt) {}
        }
        guard case .inputTooLong(_, _, let limit, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(limit == contextLength - 1)
        await engine.unload()
    }

    @Test func output_reachingContextLength_stopsWithContextFull() async throws {
        let engine = try await LlamaFixtures.engine(contextLength: 64)
        let prompt = try await engine.tokenize("the cat", addSpecial: true)
        let result = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 100_000))
        #expect(result.stopReason == .contextFull)
        let contextLength = try #require(engine.contextLength)
        #expect(result.tokens.count == contextLength - prompt.count + 1)  // the last sampled token needs no KV slot
        await engine.unload()
    }

    @Test func invalidOptions_throwInvalidParameter() async throws {
        let engine = try await LlamaFixtures.engine()
        let error = try await #require(throws: LlamaError.self) {
            _ = try await engine.complete(prompt: "hi", options: .init(maxTokens: 0))
        }
        guard case .invalidParameter(_, let name, _, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(name == "maxTokens")
        await engine.unload()
    }

    @Test func generateFromTokens_equalsGenerateFromTheirText_andRefusesIdsOutsideTheVocabulary() async throws {
        let engine = try await LlamaFixtures.engine(parallel: 1)
        let tokens = try await engine.tokenize("the cat", addSpecial: true)
        let fromText = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 6))
        let fromTokens = try await engine.complete(tokens: tokens, options: .init(maxTokens: 6))
        #expect(fromText.tokens == fromTokens.tokens)
        #expect(fromTokens.usage.promptTokens == tokens.count)
        let size = try #require(engine.vocabularySize)
        let error = try await #require(throws: LlamaError.self) {
            _ = try await engine.complete(tokens: [1, Int32(size)], options: .init(maxTokens: 1))
        }
        guard case .invalidToken = error else { Issue.record("unexpected \(error)"); return }
        await engine.unload()
    }

    @Test func finalPiece_reportsUsage() async throws {
        let engine = try await LlamaFixtures.engine()
        var last: GeneratedPiece?
        for try await piece in engine.generate(prompt: "hello world", options: .init(maxTokens: 5)) { last = piece }
        let usage = try #require(last?.usage)
        #expect(usage.promptTokens == (try await engine.tokenize("hello world", addSpecial: true)).count)
        #expect(usage.generatedTokens == 5 && usage.cachedTokens == 0)
        #expect(usage.promptDuration > .zero && usage.generationDuration > .zero)
        await engine.unload()
    }
}
