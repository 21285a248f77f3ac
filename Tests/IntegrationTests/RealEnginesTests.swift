import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// The registry driving the real engines: ONNX Runtime and llama.cpp, on model files the setup installs.
@Suite struct RealEnginesTests {
    private func registry() throws -> ModelRegistry {
        let json = """
            {"defaultModel": "iris",
             "models": {
               "iris": {"engine": "onnxruntime", "type": "classifier",
                        "path": "\(NativeFixtures.model("logreg_iris.onnx").path)", "maxWorkers": 2, "threads": 1},
               "tiny": {"engine": "llamacpp", "type": "llm", "path": "\(NativeFixtures.model("tiny-llama.gguf").path)",
                        "contextLength": 256, "threads": 2, "parameters": {"seed": "7"}},
               "embed": {"engine": "llamacpp", "type": "embedding",
                         "path": "\(NativeFixtures.model("tiny-embed.gguf").path)", "threads": 2}
             }}
            """
        let folder = try NativeFixtures.temporaryDirectory()
        let url = folder.appendingPathComponent("models.json")
        try Data(json.utf8).write(to: url)
        let configuration = try RegistryConfiguration.load(
            contentsOf: url, knownEngines: EngineFactory.builtIn.registeredEngines)
        return ModelRegistry(factory: .builtIn, configuration: configuration)
    }

    /// Three iris rows (the model takes exactly 3 × 2 floats).
    private let irisRows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])

    @Test func onnxModel_loadsThroughTheRegistry_andClassifiesUnderALease() async throws {
        let registry = try registry()
        let outputs = try await registry.withModel("iris", as: OnnxRuntimeEngine.self) { engine in
            try await engine.run(["float_input": irisRows])
        }
        let labels = try #require(outputs["label"]?.tensor?.int64s)
        #expect(labels.count == 3)
        let probabilities = try #require(outputs["probabilities"]?.sequence?.compactMap { $0.int64FloatMap })
        #expect(probabilities.count == 3)
        for (label, row) in zip(labels, probabilities) {
            #expect(abs(row.values.reduce(0, +) - 1) < 1e-4)
            #expect(row.max { $0.value < $1.value }?.key == label)
        }
        #expect(try await registry.record(of: "iris").memoryBytes ?? 0 > 0)
        await registry.shutdown()
    }

    @Test func ggufModel_loadsThroughTheRegistry_andGeneratesUnderALease() async throws {
        let registry = try registry()
        let options = GenerationOptions(maxTokens: 8, temperature: 0)
        let first = try await registry.withModel("tiny", as: LlamaEngine.self) { engine in
            try await engine.complete(prompt: "the cat", options: options)
        }
        let second = try await registry.withModel("tiny", as: LlamaEngine.self) { engine in
            try await engine.complete(prompt: "the cat", options: options)
        }
        #expect(first.tokens.count == 8)
        #expect(first.stopReason == .maxTokens)
        #expect(first.tokens == second.tokens && first.text == second.text)  // usage differs: the prompt cache
        #expect(try await registry.record(of: "tiny").loadCount == 1)
        await registry.shutdown()
    }

    @Test func bothEngines_serveRequestsThroughTheWorkerRegistry() async throws {
        let registry = try registry()
        let workers = WorkerRegistry(registry: registry)
        await workers.start()
        try await registry.loadAll(["iris", "embed"])
        while workers.models != ["embed", "iris"] { await Task.yield() }
        #expect(workers.status(of: "iris")?.workers == 2)

        let rows = irisRows
        let labels = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await workers.submit(to: "iris") { engine in
                        let outputs = try await (engine as! OnnxRuntimeEngine).run(["float_input": rows])
                        return outputs["label"]?.tensor?.int64s ?? []
                    }
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        #expect(Set(labels).count == 1)
        let vector = try await workers.submit(to: "embed") { engine in
            try await (engine as! LlamaEngine).embed("hello world")
        }
        #expect(vector.count == 64)
        #expect(vector.allSatisfy { $0.isFinite })
        await workers.stop()
        await registry.shutdown()
    }

    @Test func unload_freesTheNativeEngine() async throws {
        let registry = try registry()
        let lease = try await registry.get("tiny")
        let engine = try lease.engine(as: LlamaEngine.self)
        #expect(engine.vocabularySize != nil)
        await lease.release()
        try await registry.unload("tiny")
        #expect(engine.vocabularySize == nil)
        await #expect(throws: LlamaError.self) { try await engine.tokenize("a", addSpecial: false) }
    }

    @Test func corruptModelFile_failsTheLoadWithACause_andTheProcessSurvives() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        let broken = folder.appendingPathComponent("broken.gguf")
        try Data("GGUF not really".utf8).write(to: broken)
        let notOnnx = folder.appendingPathComponent("text.onnx")
        try Data("hello".utf8).write(to: notOnnx)
        let registry = ModelRegistry(factory: .builtIn, models: [
            ModelConfiguration(name: "broken", engine: .llamacpp, modelType: .llm, path: broken.path),
            ModelConfiguration(name: "text", engine: .onnxruntime, modelType: .classifier, path: notOnnx.path),
        ])
        for name in ["broken", "text"] {
            await #expect {
                try await registry.load(name)
            } throws: { error in
                guard case RegistryError.loadFailed(let failed, _) = error else { return false }
                return failed == name && "\(error)".contains("model \"\(name)\"")
            }
            #expect(try await registry.state(of: name).isFailed)
        }
    }
}
