import LlamaEngine
import Testing

@Suite(.timeLimit(.minutes(2))) struct EmbeddingTests {
    @Test func embed_dimensionIsTheModelsEmbeddingLength_valuesFinite() async throws {
        let engine = try await LlamaFixtures.engine(LlamaFixtures.tinyEmbedding, modelType: .embedding)
        let expected = try await LlamaFixtures.metadataInteger("llama.embedding_length", in: LlamaFixtures.tinyEmbedding)
        let vector = try await engine.embed("hello world")
        #expect(engine.embeddingDimension == expected)
        #expect(vector.count == expected)
        #expect(vector.allSatisfy { $0.isFinite })
        #expect(vector.contains { $0 != 0 })
        await engine.unload()
    }

    @Test func embed_sameTextTwice_sameVector_otherTextDiffers() async throws {
        let engine = try await LlamaFixtures.engine(LlamaFixtures.tinyEmbedding, modelType: .embedding)
        let first = try await engine.embed("the red tree")
        let again = try await engine.embed("the red tree")
        let other = try await engine.embed("a blue moon")
        #expect(first == again)
        #expect(first != other)
        await engine.unload()
    }

    @Test(arguments: ["mean", "last", "none"])
    func embed_poolingParameter_givesFiniteVectors(pooling: String) async throws {
        let engine = try await LlamaFixtures.engine(
            LlamaFixtures.tinyEmbedding, modelType: .embedding, parameters: ["pooling": pooling])
        let vector = try await engine.embed("one two three")
        #expect(vector.count == engine.embeddingDimension)
        #expect(vector.allSatisfy { $0.isFinite })
        await engine.unload()
    }

    @Test func embed_onModelLoadedAsLLM_throwsUnsupportedOperation() async throws {
        let engine = try await LlamaFixtures.engine()
        let error = try await #require(throws: LlamaError.self) { try await engine.embed("hello") }
        guard case .unsupportedOperation(_, _, let modelType, let needs) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(modelType == "llm" && needs == "embedding")
        await engine.unload()
    }

    @Test func generate_onEmbeddingModel_throwsUnsupportedOperation() async throws {
        let engine = try await LlamaFixtures.engine(LlamaFixtures.tinyEmbedding, modelType: .embedding)
        let error = try await #require(throws: LlamaError.self) {
            for try await _ in engine.generate(prompt: "hello") {}
        }
        guard case .unsupportedOperation(_, _, let modelType, let needs) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(modelType == "embedding" && needs == "llm")
        await engine.unload()
    }

    @Test func embed_inputLongerThanBatch_throwsInputTooLong() async throws {
        let engine = try await LlamaFixtures.engine(LlamaFixtures.tinyEmbedding, modelType: .embedding, contextLength: 16)
        let error = try await #require(throws: LlamaError.self) {
            _ = try await engine.embed(Array(repeating: "the cat", count: 20).joined(separator: " "))
        }
        guard case .inputTooLong = error else { Issue.record("unexpected \(error)"); return }
        await engine.unload()
    }
}

@Suite(.timeLimit(.minutes(2))) struct BatchedEmbeddingTests {
    static let texts = (0..<20).map { i in
        ["the cat", "a red tree and the blue moon", "hello world", "one two three", "water"][i % 5] + " \(i)"
    }

    @Test(arguments: ["mean", "last", "none"])
    func embedMany_equalsOneAtATime_inInputOrder(pooling: String) async throws {
        let engine = try await LlamaFixtures.engine(
            LlamaFixtures.tinyEmbedding, modelType: .embedding, parameters: ["pooling": pooling])
        let together = try await engine.embed(Self.texts)
        #expect(together.count == Self.texts.count)
        for (text, vector) in zip(Self.texts, together) {
            let alone = try await engine.embed(text)
            #expect(vector.count == alone.count)
            let difference = zip(vector, alone).map { abs($0 - $1) }.max() ?? 0
            #expect(difference <= 1e-4, "\(text): max difference \(difference)")
        }
        await engine.unload()
    }

    @Test func embedMany_moreInputsThanOneBatchHolds_splitsIntoSeveralDecodes() async throws {
        let engine = try await LlamaFixtures.engine(LlamaFixtures.tinyEmbedding, modelType: .embedding, contextLength: 32)
        let texts = (0..<12).map { "the cat and the dog \($0)" }  // about 8 tokens each: several decodes of 32
        let together = try await engine.embed(texts)
        for (text, vector) in zip(texts, together) {
            let alone = try await engine.embed(text)
            #expect(zip(vector, alone).allSatisfy { abs($0 - $1) <= 1e-4 })
        }
        #expect(try await engine.embed([String]()).isEmpty)
        await engine.unload()
    }
}
