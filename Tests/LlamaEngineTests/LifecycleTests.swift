import Foundation
import LlamaEngine
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct LifecycleTests {
    @Test func unloadThenUse_throwsNotLoaded() async throws {
        let engine = try await LlamaFixtures.engine()
        await engine.unload()
        let error = try await #require(throws: LlamaError.self) { try await engine.tokenize("hi", addSpecial: true) }
        guard case .notLoaded(let model) = error else { Issue.record("unexpected \(error)"); return }
        #expect(model == "tiny")
        await #expect(throws: LlamaError.self) { for try await _ in engine.generate(prompt: "hi") {} }
        #expect(engine.vocabularySize == nil && engine.contextLength == nil)
    }

    @Test func health_followsTheLifecycle() async throws {
        let engine = LlamaEngine()
        #expect(await engine.healthCheck().label == "unhealthy")
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: LlamaFixtures.configuration(LlamaFixtures.tinyLLM)))
        #expect(await engine.healthCheck() == .healthy)
        await engine.unload()
        #expect(await engine.healthCheck().label == "unhealthy")
    }

    @Test func memoryFootprint_coversTheWeights() async throws {
        let engine = try await LlamaFixtures.engine()
        let footprint = try #require(await engine.memoryFootprint())
        // The fixture is all F32 weights; its tensor data is most of the file.
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: LlamaFixtures.tinyLLM.path)[.size] as? Int)
        #expect(footprint > fileSize / 2)
        await engine.unload()
        #expect(await engine.memoryFootprint() == nil)
    }

    @Test func loadTwice_throwsAlreadyLoaded_reloadAfterUnloadWorks() async throws {
        let engine = try await LlamaFixtures.engine()
        let context = EngineLoadContext(modelID: ModelID(), configuration: LlamaFixtures.configuration(LlamaFixtures.tinyLLM))
        let error = try await #require(throws: LlamaError.self) { try await engine.load(context) }
        guard case .alreadyLoaded = error else { Issue.record("unexpected \(error)"); return }
        await engine.unload()
        try await engine.load(context)
        #expect(try await engine.tokenize("hello", addSpecial: false).count >= 1)
        await engine.unload()
    }

    @Test(arguments: [["mmap": "maybe"], ["seed": "-1"], ["pooling": "max"], ["gpuLayers": "-5"], ["gpuLayers": "all"]])
    func invalidParameter_throwsInvalidParameter(parameters: [String: String]) async throws {
        let engine = LlamaEngine()
        let configuration = LlamaFixtures.configuration(LlamaFixtures.tinyLLM, parameters: parameters)
        let error = try await #require(throws: LlamaError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .invalidParameter(_, let name, _, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(parameters.keys.contains(name))
    }

    @Test func gpuLayers_acceptedAndIgnoredByTheCPUBuild() async throws {
        let engine = try await LlamaFixtures.engine(parameters: ["gpuLayers": "99"])
        let result = try await engine.complete(prompt: "the", options: .init(maxTokens: 4))
        #expect(result.tokens.count == 4)
        await engine.unload()
    }

    @Test func parallelAboveLibllamasLimit_throwsInvalidParameter() async throws {
        let engine = LlamaEngine()
        let configuration = LlamaFixtures.configuration(LlamaFixtures.tinyLLM, parallel: 300)
        let error = try await #require(throws: LlamaError.self) {
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        }
        guard case .invalidParameter(_, let name, _, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(name == "parallel")
    }

    @Test func mmapOff_loadsAndGenerates() async throws {
        let engine = try await LlamaFixtures.engine(parameters: ["mmap": "false"])
        let result = try await engine.complete(prompt: "the", options: .init(maxTokens: 4))
        #expect(result.tokens.count == 4)
        await engine.unload()
    }

    @Test func failedLoad_leavesEngineLoadable() async throws {
        let engine = LlamaEngine()
        let missing = LlamaFixtures.configuration(URL(fileURLWithPath: "/nonexistent.gguf"))
        await #expect(throws: LlamaError.self) { try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: missing)) }
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: LlamaFixtures.configuration(LlamaFixtures.tinyLLM)))
        #expect(await engine.healthCheck() == .healthy)
        await engine.unload()
    }
}
