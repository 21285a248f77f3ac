import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// The built-in engines' parameter keys: a key neither engine reads is refused when the registry is created, and
/// every key each engine documents is accepted and read by its real load.
@Suite(.timeLimit(.minutes(3))) struct EngineParameterTests {
    /// The keys the documentation lists (README "parameters", `LlamaEngine`'s table, the preflight table).
    private static let preflightKeys = ["preflight", "preflightCache", "preflightExecutable"]
    private static let onnxKeys = [
        "executionProviders", "graphOptimization", "inlineRunMicroseconds", "threadPool", "zipMap",
    ]
    private static let llamaKeys = ["chatTemplate", "gpuLayers", "mmap", "pooling", "seed"]

    private func registry(_ models: String) throws -> ModelRegistry {
        let url = try NativeFixtures.temporaryDirectory().appendingPathComponent("models.json")
        try Data(#"{"models": {\#(models)}}"#.utf8).write(to: url)
        return try ModelRegistry(factory: .builtIn, configuration: RegistryConfiguration.load(contentsOf: url))
    }

    private var iris: String { NativeFixtures.model("logreg_iris.onnx").path }
    private var tiny: String { NativeFixtures.model("tiny-llama.gguf").path }

    @Test func onnxModel_withAMisspelledKey_isRefused_listingTheKeysTheEngineReads() throws {
        let models = #""iris": {"engine": "onnxruntime", "type": "classifier", "path": "\#(iris)", "parameters": {"graphOptimisation": "all"}}"#
        let known = (Self.onnxKeys + Self.preflightKeys).sorted()
        #expect {
            try registry(models)
        } throws: { error in
            guard case RegistryError.unknownParameter("iris", "graphOptimisation", .onnxruntime, let listed) = error else { return false }
            return listed == known
                && "\(error)" == #"model "iris": unknown parameter "graphOptimisation" for onnxruntime; known: "#
                + known.joined(separator: ", ")
        }
        #expect(OnnxRuntimeEngine.parameterKeys == Set(known))
    }

    @Test func llamaModel_withAGenerationOptionAsAParameter_isRefused_listingTheKeysTheEngineReads() throws {
        let models = #""tiny": {"engine": "llamacpp", "type": "llm", "path": "\#(tiny)", "parameters": {"seed": "7", "temperature": "0"}}"#
        let known = (Self.llamaKeys + Self.preflightKeys).sorted()
        #expect {
            try registry(models)
        } throws: { error in
            guard case RegistryError.unknownParameter("tiny", "temperature", .llamacpp, let listed) = error else { return false }
            return listed == known && "\(error)".hasSuffix("for llamacpp; known: " + known.joined(separator: ", "))
        }
        #expect(LlamaEngine.parameterKeys == Set(known))
    }

    @Test func onnxModel_withEveryKey_loadsAndClassifies() async throws {
        let cache = try NativeFixtures.temporaryDirectory().path
        let registry = try registry(#"""
            "iris": {"engine": "onnxruntime", "type": "classifier", "path": "\#(iris)", "threads": 1, "parameters": {
              "graphOptimization": "all", "inlineRunMicroseconds": "0", "threadPool": "own",
              "executionProviders": "CPUExecutionProvider", "preflight": "never", "preflightExecutable": "",
              "preflightCache": "\#(cache)"}}
            """#)
        let outputs = try await registry.withModel("iris", as: OnnxRuntimeEngine.self) { engine in
            try await engine.run(["float_input": Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])])
        }
        #expect(outputs["label"]?.tensor?.int64s?.count == 3)
        await registry.shutdown()
    }

    @Test func llamaModel_withEveryKey_loadsAndGenerates() async throws {
        let cache = try NativeFixtures.temporaryDirectory().path
        let registry = try registry(#"""
            "tiny": {"engine": "llamacpp", "type": "llm", "path": "\#(tiny)", "contextLength": 256, "threads": 2,
              "parameters": {"seed": "7", "mmap": "false", "pooling": "mean", "chatTemplate": "chatml", "gpuLayers": "0",
                             "preflight": "never", "preflightExecutable": "", "preflightCache": "\#(cache)"}}
            """#)
        let result = try await registry.withModel("tiny", as: LlamaEngine.self) { engine in
            try await engine.complete(prompt: "the cat", options: GenerationOptions(maxTokens: 4, temperature: 0))
        }
        #expect(result.tokens.count == 4)
        await registry.shutdown()
    }
}
