import ExampleSupport
import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// Engines on the generated GGUF fixtures, and the setup's Python (gguf package) for independent facts and for
/// writing malformed files.
enum LlamaFixtures {
    static let tinyLLM = NativeFixtures.model("tiny-llama.gguf")
    static let tinyEmbedding = NativeFixtures.model("tiny-embed.gguf")
    static let generator = NativeFixtures.packageRoot.appendingPathComponent("Scripts/make_tiny_gguf.py")

    /// A configuration for a llama.cpp model.
    static func configuration(
        _ url: URL, name: String = "tiny", modelType: ModelType = .llm, contextLength: Int? = 256,
        parallel: Int? = nil, queueCapacity: Int = 64, parameters: [String: String] = [:]
    ) -> ModelConfiguration {
        ModelConfiguration(
            name: name, engine: .llamacpp, modelType: modelType, path: url.path, queueCapacity: queueCapacity,
            contextLength: contextLength, threads: 1, parallel: parallel, parameters: parameters)
    }

    /// A loaded engine on a fixture.
    static func engine(
        _ url: URL = tinyLLM, modelType: ModelType = .llm, contextLength: Int? = 256, parallel: Int? = nil,
        queueCapacity: Int = 64, parameters: [String: String] = [:]
    ) async throws -> LlamaEngine {
        let engine = LlamaEngine()
        let configuration = configuration(
            url, modelType: modelType, contextLength: contextLength, parallel: parallel, queueCapacity: queueCapacity,
            parameters: parameters)
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        return engine
    }

    /// Loads `url` into a fresh engine and returns the error it throws.
    static func loadError(_ url: URL, name: String = "broken") async throws -> LlamaError {
        let engine = LlamaEngine()
        let context = EngineLoadContext(modelID: ModelID(), configuration: configuration(url, name: name))
        return try await #require(throws: LlamaError.self) { try await engine.load(context) }
    }

    /// Runs the setup's Python with `arguments` and returns its standard output.
    static func python(_ arguments: [String]) async throws -> String {
        let run = try await ChildProcess.run(NativeFixtures.python, arguments)
        try #require(
            run.succeeded, "python \(arguments.joined(separator: " ")) failed with status \(run.status): \(run.stderr)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a GGUF file with no tensors through the gguf package's `GGUFWriter` (named `w` in `metadata`).
    /// - Parameters:
    ///   - url: Where to write it.
    ///   - architecture: The `general.architecture` value.
    ///   - metadata: Python statements adding key-value pairs, e.g. `w.add_block_count(1000)`.
    static func writeGGUF(to url: URL, architecture: String = "llama", metadata: String = "") async throws {
        let script = """
            import gguf, sys
            w = gguf.GGUFWriter(sys.argv[1], sys.argv[2])
            \(metadata)
            w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
            """
        _ = try await python(["-c", script, url.path, architecture])
    }

    /// An integer metadata value of a GGUF file, read by the gguf Python package.
    static func metadataInteger(_ key: String, in url: URL) async throws -> Int {
        let script = "import gguf, sys; f = gguf.GGUFReader(sys.argv[1]).fields[sys.argv[2]]; print(f.parts[f.data[0]][0])"
        let text = try await python(["-c", script, url.path, key])
        return try #require(Int(text))
    }

    /// The number of tokens in a GGUF file's vocabulary, read by the gguf Python package.
    static func vocabularySize(of url: URL) async throws -> Int {
        let script = "import gguf, sys; print(len(gguf.GGUFReader(sys.argv[1]).fields['tokenizer.ggml.tokens'].data))"
        return try #require(Int(try await python(["-c", script, url.path])))
    }
}
