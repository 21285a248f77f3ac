import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Files that must make `load` throw, never crash the process.
@Suite(.timeLimit(.minutes(3))) struct BadModelFileTests {
    @Test func missingFile_throwsFileNotFound() async throws {
        let error = try await LlamaFixtures.loadError(URL(fileURLWithPath: "/nonexistent/model.gguf"))
        guard case .invalidModelFile(let model, .fileNotFound) = error else { Issue.record("unexpected \(error)"); return }
        #expect(model == "broken")
        #expect(error.description.contains("/nonexistent/model.gguf"))
    }

    @Test(arguments: [10, 100, 2_000, 100_000])
    func truncatedGGUF_throwsInvalidModelFile(length: Int) async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("truncated.gguf")
        try Data(contentsOf: LlamaFixtures.tinyLLM).prefix(length).write(to: url)
        let error = try await LlamaFixtures.loadError(url)
        switch error {
        case .invalidModelFile(_, .truncated), .invalidModelFile(_, .tensorOutOfBounds), .invalidModelFile(_, .malformed):
            break
        default: Issue.record("unexpected \(error)")
        }
    }

    @Test func randomBytes_throwsNotGGUF() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("random.gguf")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        // 1 in 2^32 random files starts with "GGUF"; the validator then fails further on, still not crashing.
        let error = try await LlamaFixtures.loadError(url)
        guard case .invalidModelFile = error else { Issue.record("unexpected \(error)"); return }
    }

    @Test func onnxFileGivenAsGGUF_throwsNotGGUF() async throws {
        let error = try await LlamaFixtures.loadError(NativeFixtures.model("logreg_iris.onnx"))
        guard case .invalidModelFile(_, .notGGUF) = error else { Issue.record("unexpected \(error)"); return }
    }

    @Test func emptyFile_throwsNotGGUF() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("empty.gguf")
        try Data().write(to: url)
        let error = try await LlamaFixtures.loadError(url)
        guard case .invalidModelFile(_, .notGGUF) = error else { Issue.record("unexpected \(error)"); return }
    }

    @Test func duplicatedVocabularyToken_throwsInsteadOfAborting() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("duplicate.gguf")
        _ = try await LlamaFixtures.python([LlamaFixtures.generator.path, "--out", url.path, "--duplicate-token"])
        let error = try await LlamaFixtures.loadError(url)
        guard case .invalidModelFile(_, .duplicateToken(_, let token, _, _)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(token == "\u{2581}the")
    }

    @Test func layerCountBeyondLibllamasLimit_throwsInsteadOfAborting() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("layers.gguf")
        // libllama GGML_ASSERTs block_count <= 512 while loading hyperparameters, aborting the process.
        try await LlamaFixtures.writeGGUF(
            to: url, metadata: "w.add_context_length(256); w.add_embedding_length(64); w.add_block_count(1000)")
        let error = try await LlamaFixtures.loadError(url)
        guard case .invalidModelFile(_, .malformed(_, let field, _)) = error else { Issue.record("unexpected \(error)"); return }
        #expect(field == "llama.block_count")
    }

    @Test func tokenCutShortByNulByte_countsAsDuplicate() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("nul.gguf")
        // libllama reads tokens as C strings: "a\0b" becomes "a", which duplicates the token "a".
        try await LlamaFixtures.writeGGUF(
            to: url, metadata: #"w.add_tokenizer_model("llama"); w.add_token_list(["<unk>", "a", "a\x00b"])"#)
        let error = try await LlamaFixtures.loadError(url)
        guard case .invalidModelFile(_, .duplicateToken(_, let token, let first, let second)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(token == "a" && first == 1 && second == 2)
    }

    @Test func structurallyValidButUnknownArchitecture_reportsLibllamasMessage() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("alien.gguf")
        try await LlamaFixtures.writeGGUF(to: url, architecture: "alien-arch")
        let error = try await LlamaFixtures.loadError(url)
        guard case .modelLoadFailed(_, _, let reason) = error else { Issue.record("unexpected \(error)"); return }
        #expect(reason.contains("alien-arch"))
    }
}

/// The files that once made ggml abort the process (kept under `Fixtures/`): the validator now refuses each
/// llama-family one with an error naming the file and the field, before libllama sees it.
@Suite(.timeLimit(.minutes(2))) struct CrashRegressionTests {
    @Test(arguments: LlamaFixtures.llamaCrashFixtures.map(\.name))
    func onceCrashingFile_isRefusedInProcess_namingTheFieldAndFile(name: String) async throws {
        let url = LlamaFixtures.regressionFixture(name)
        let expectedField = try #require(LlamaFixtures.llamaCrashFixtures.first { $0.name == name }?.field)
        let engine = LlamaEngine()
        let configuration = LlamaFixtures.configuration(url, name: name, parameters: ["preflight": "never"])
        let error = try await #require(throws: LlamaError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .invalidModelFile(name, .inconsistentHyperparameters(url.path, expectedField, _)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(error.description.contains(url.path))
    }

    @Test(arguments: LlamaFixtures.integerWeightFixtures.map(\.name))
    func weightOfATypeGGMLCannotComputeWith_isRefusedInProcess_namingTheTensor(name: String) async throws {
        let url = LlamaFixtures.regressionFixture(name)
        let (tensor, expectedType) = try #require(
            LlamaFixtures.integerWeightFixtures.first { $0.name == name }.map { ($0.tensor, $0.type) })
        let engine = LlamaEngine()
        let configuration = LlamaFixtures.configuration(url, name: name, parameters: ["preflight": "never"])
        let error = try await #require(throws: LlamaError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .invalidModelFile(name, .unsupportedTensorType(url.path, tensor, let type, _)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(type == expectedType)
    }
}
