import Foundation
import LlamaEngine
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct GGUFValidatorTests {
    @Test func fixture_summaryMatchesTheFile() async throws {
        let summary = try GGUFValidator().validate(path: LlamaFixtures.tinyLLM.path)
        #expect(summary.version == 3)
        #expect(summary.architecture == "llama")
        #expect(summary.vocabularySize == (try await LlamaFixtures.vocabularySize(of: LlamaFixtures.tinyLLM)))
        #expect(summary.dataOffset + summary.dataSize <= summary.fileSize)
        #expect(summary.tensorCount == 3 + 9 * (try await LlamaFixtures.metadataInteger("llama.block_count", in: LlamaFixtures.tinyLLM)))
    }

    @Test func hugeDeclaredCounts_refusedWithoutAllocating() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("counts.gguf")
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
        bytes += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]  // tensor count
        bytes += [1, 0, 0, 0, 0, 0, 0, 0]  // metadata count
        try Data(bytes).write(to: url)
        #expect(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
    }

    @Test func hugeStringLength_refusedAsCorrupt() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("string.gguf")
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
        bytes += [0, 0, 0, 0, 0, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0]  // no tensors, one pair
        bytes += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]  // key length 4 GiB
        try Data(bytes).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        guard case .malformed = error else { Issue.record("unexpected \(error)"); return }
    }

    /// One more token than the validator's limit (`GGUFValidator.maximumVocabularySize`, 4,194,304): refused from
    /// the declared count, before a token is kept, instead of costing the host about ten times the file in memory.
    /// The file declares the tokens but holds only zero bytes after the count (as many as the count, so the count
    /// itself is within the file's size): a validator that read a single token before checking the count would
    /// fail differently, on 4 million empty tokens running past the end of the file.
    @Test func vocabularyOverTheLimit_isRefusedBeforeItsTokensAreKept() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("huge-vocabulary.gguf")
        let count = (1 << 22) + 1
        var file = CraftedGGUF()
        file.add("general.architecture", string: "llama")
        file.add("tokenizer.ggml.tokens", declaringStrings: count)
        try Data(file.bytes(dataBytes: count)).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        guard case .malformed(url.path, let field, let reason) = error else { Issue.record("unexpected \(error)"); return }
        #expect(field.contains("tokenizer.ggml.tokens"))
        #expect(reason.contains("\(count) tokens") && reason.contains("4194304"))
    }

    @Test func unsupportedVersion_refused() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("v1.gguf")
        try Data(Array("GGUF".utf8) + [1, 0, 0, 0] + Array(repeating: 0, count: 16)).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        #expect(error == .unsupportedVersion(path: url.path, version: 1))
    }
}

/// The shape checks: hyperparameters against each other and against every tensor of the llama layout.
@Suite(.timeLimit(.minutes(2))) struct GGUFShapeCheckTests {
    private func validate(_ bytes: [UInt8]) throws -> (GGUFValidationError, String) {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("mutated.gguf")
        try Data(bytes).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        return (error, url.path)
    }

    private var tiny: GGUFMutator { get throws { GGUFMutator(validFile: Array(try Data(contentsOf: LlamaFixtures.tinyLLM))) } }

    @Test func transposedFeedForwardTensor_namesTheTensorItsShapeAndTheExpectedOne() throws {
        let bytes = try #require(try tiny.settingDimensions(of: "blk.1.ffn_up.weight", to: [128, 64]))
        let (error, path) = try validate(bytes)
        #expect(error == .tensorShapeMismatch(
            path: path, tensor: "blk.1.ffn_up.weight", shape: [128, 64], expected: [64, 128],
            meaning: "[embedding_length, feed_forward_length]"))
        #expect(error.description.contains("blk.1.ffn_up.weight") && error.description.contains("[64, 128]"))
    }

    @Test func feedForwardWidthDisagreeingWithTheTensors_isRefused() throws {
        let bytes = try #require(try tiny.settingInteger("llama.feed_forward_length", to: 96))
        let (error, _) = try validate(bytes)
        guard case .tensorShapeMismatch(_, let tensor, [64, 128], [64, 96], _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(tensor.hasSuffix("ffn_gate.weight"))
    }

    @Test(arguments: [("llama.attention.head_count_kv", 3), ("llama.attention.head_count", 0), ("llama.rope.dimension_count", 8)])
    func hyperparametersThatContradictEachOther_areRefusedNamingTheField(key: String, value: Int64) throws {
        let bytes = try #require(try tiny.settingInteger(key, to: value))
        let (error, _) = try validate(bytes)
        guard case .inconsistentHyperparameters(_, let field, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(field == key)
    }

    @Test func vocabularySizeDisagreeingWithTheEmbeddingTable_isRefused() throws {
        let bytes = try #require(try tiny.settingDimensions(of: "token_embd.weight", to: [64, 100]))
        let (error, _) = try validate(bytes)
        guard case .tensorShapeMismatch(_, "token_embd.weight", [64, 100], _, "[embedding_length, vocabulary size]") = error
        else { Issue.record("unexpected \(error)"); return }
    }

    /// The header of a one-layer llama, 8 wide with two heads (and two KV heads) and an 8-wide feed-forward layer,
    /// for a test to add the keys and tensors it is about.
    private static func oneLayerLlama() -> CraftedGGUF {
        var file = CraftedGGUF()
        file.add("general.architecture", string: "llama")
        file.add("llama.block_count", uint32: 1)
        file.add("llama.embedding_length", uint32: 8)
        file.add("llama.attention.head_count", uint32: 2)
        file.add("llama.attention.head_count_kv", uint32: 2)
        file.add("llama.feed_forward_length", uint32: 8)
        return file
    }

    /// `attention.key_length` = 2^62 with two heads: `head_count × key_length` overflows 64 bits, and 2^61 makes the
    /// sum of the q, k and v widths (the fused `attn_qkv` tensor) overflow. Run in a child process (an exit test), so that a trap on the overflow
    /// shows as a failed exit rather than ending the test run.
    @Test(arguments: [Int64(1) << 62, Int64(1) << 61])
    func headWidthWhoseProductsOverflow_isRefusedNamingTheKey(keyLength: Int64) async {
        await #expect(processExitsWith: .success) { [keyLength] in
            let directory = try NativeFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = directory.appendingPathComponent("overflow.gguf")
            var file = Self.oneLayerLlama()
            file.add("llama.attention.key_length", uint64: UInt64(keyLength))
            file.add("llama.attention.value_length", uint64: UInt64(keyLength))
            file.addTensor("output_norm.weight", shape: [8])
            file.addTensor("blk.0.attn_qkv.weight", shape: [8, 8], offset: 32)
            try Data(file.bytes(dataBytes: 32 + 256)).write(to: url)
            do {
                _ = try GGUFValidator().validate(path: url.path)
                exit(2)  // accepted
            } catch GGUFValidationError.inconsistentHyperparameters(url.path, "llama.attention.key_length", let reason) {
                guard reason.contains("\(keyLength)") else { exit(3) }
            }
        }
    }

    /// libllama reads `embedding_length_out` for every architecture and copies embeddings by it, but the llama graph's
    /// output is `embedding_length` wide: 16 for an 8-wide model would make ggml assert while reading the output.
    @Test func embeddingOutputWidthOtherThanTheGraphs_isRefusedNamingTheKey() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("wide-output.gguf")
        var file = Self.oneLayerLlama()
        file.add("llama.embedding_length_out", uint32: 16)
        file.addTensor("output_norm.weight", shape: [8])
        try Data(file.bytes(dataBytes: 32)).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        guard case .inconsistentHyperparameters(url.path, "llama.embedding_length_out", let reason) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(reason.contains("16") && reason.contains("8 wide"))
    }

    @Test func fixtures_passTheShapeChecks() throws {
        for url in [LlamaFixtures.tinyLLM, LlamaFixtures.tinyEmbedding, LlamaFixtures.regressionFixture("small-llama")] {
            let summary = try GGUFValidator().validate(path: url.path)
            #expect(summary.architecture == "llama")
        }
    }
}
