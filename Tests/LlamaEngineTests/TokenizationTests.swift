import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(2))) struct TokenizationTests {
    @Test(arguments: ["hello world", "the cat and the dog", "héllo ✓", "日本語 🙂 mixed ASCII"])
    func tokenizeThenDetokenize_roundTrips(text: String) async throws {
        let engine = try await LlamaFixtures.engine()
        let tokens = try await engine.tokenize(text, addSpecial: true)
        #expect(!tokens.isEmpty)
        #expect(try await engine.detokenize(tokens) == text)
        await engine.unload()
    }

    @Test func tokenize_addSpecial_prependsBOS() async throws {
        let engine = try await LlamaFixtures.engine()
        let plain = try await engine.tokenize("hello", addSpecial: false)
        let special = try await engine.tokenize("hello", addSpecial: true)
        #expect(special == [1] + plain)  // the fixture's <s> has id 1 and add_bos_token is true
        await engine.unload()
    }

    @Test func tokenize_multiByteCharacter_usesByteTokens() async throws {
        let engine = try await LlamaFixtures.engine()
        // "é" is not a vocabulary piece, so SPM falls back to its UTF-8 bytes C3 A9: tokens <0xC3>, <0xA9>, whose ids
        // are 3 + byte value in the fixture (after <unk>, <s>, </s>).
        let tokens = try await engine.tokenize("é", addSpecial: false)
        #expect(tokens.suffix(2) == [3 + 0xC3, 3 + 0xA9])
        await engine.unload()
    }

    @Test func vocabularySize_matchesTheFile() async throws {
        let engine = try await LlamaFixtures.engine()
        let expected = try await LlamaFixtures.vocabularySize(of: LlamaFixtures.tinyLLM)
        #expect(engine.vocabularySize == expected)
        await engine.unload()
    }

    @Test func detokenize_tokenOutsideVocabulary_throws() async throws {
        let engine = try await LlamaFixtures.engine()
        let size = try #require(engine.vocabularySize)
        let error = try await #require(throws: LlamaError.self) { try await engine.detokenize([5, Int32(size)]) }
        guard case .invalidToken(_, let token, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(token == Int32(size))
        await engine.unload()
    }
}
