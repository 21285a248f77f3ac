import Foundation
import LlamaEngine
import ModelPreflight
import ModelRegistry
import OnnxRuntimeEngine

/// The body of the `model-preflight` program: loads model files through their engine (with preflight off) and, for
/// llama.cpp, decodes one token (one generated token for `llm`, one embedding otherwise), in a process of its own so
/// that a file on which libllama, ggml or ONNX Runtime aborts kills only that process.
///
/// ```
/// model-preflight --configuration '{"name":"m","engine":"llamacpp","type":"llm","path":"/models/m.gguf"}'
/// model-preflight --batch '<configuration JSON>' a.gguf b.gguf …   # many files, each model named after its file
/// ```
///
/// It prints lines per file on standard output — `begin <index>` before the load, then `pass <index>` or
/// `refused <index> <message>`, the latter preceded by `native <index> <JSON>` when the refusal was the native
/// library's own (``PreflightRefusal``) — so the parent knows which file was loading when the process died and can
/// report a refusal as the engine's typed error without opening the file itself. Exit status:
/// 0 when every file passed, 3 when the engine refused at least one with an error, 2 for a usage error; a crash is
/// a signal.
enum PreflightChild {
    /// Runs the program.
    /// - Parameter arguments: The command-line arguments without the program name.
    /// - Returns: The exit status.
    static func run(arguments: [String]) async -> Int32 {
        let configurations: [ModelConfiguration]
        do {
            configurations = try parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("model-preflight: \(error)\n".utf8))
            return 2
        }
        var status: Int32 = 0
        for (index, configuration) in configurations.enumerated() {
            emit("begin \(index)")
            do {
                try await loadAndDecode(configuration)
                emit("pass \(index)")
            } catch {
                let lines = PreflightRefusal.reportLines(
                    index: index, message: String(describing: error), nativeStatus: nativeStatus(of: error))
                lines.forEach(emit)
                status = Preflight.refusedStatus
            }
        }
        return status
    }

    private static func loadAndDecode(_ configuration: ModelConfiguration) async throws {
        var configuration = configuration
        configuration.parameters["preflight"] = PreflightMode.never.rawValue
        if configuration.engine == .onnxruntime {
            let engine = OnnxRuntimeEngine()
            try await engine.load(EngineLoadContext(
                modelID: ModelID(), configuration: OnnxRuntimeEngine.preflightChildConfiguration(configuration)))
            await engine.unload()
            return
        }
        let engine = LlamaEngine()
        try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: configuration))
        if configuration.modelType == .embedding {
            _ = try await engine.embed("a")
        } else {
            for try await _ in engine.generate(prompt: "a", options: GenerationOptions(maxTokens: 1)) {}
        }
        await engine.unload()
    }

    /// The native library's own refusal inside `error`, so the host rebuilds the same typed error: ORT's status
    /// from `CreateSession`, libllama's reason from `llama_model_load_from_file`; `nil` for the engines' other errors.
    private static func nativeStatus(of error: any Error) -> PreflightRefusal.NativeStatus? {
        switch error {
        case OnnxRuntimeError.invalidModel(_, _, let status), OnnxRuntimeError.unsupportedGraph(_, _, let status),
            OnnxRuntimeError.missingExternalData(_, _, _, let status):
            PreflightRefusal.NativeStatus(code: status.code.rawValue, message: status.message)
        case LlamaError.modelLoadFailed(_, _, let reason):
            PreflightRefusal.NativeStatus(code: 0, message: reason)
        default:
            nil
        }
    }

    private struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private static func parse(_ arguments: [String]) throws -> [ModelConfiguration] {
        let usage = UsageError(description: "usage: model-preflight --configuration JSON | --batch JSON FILE…")
        guard arguments.count >= 2 else { throw usage }
        let template = try JSONDecoder().decode(ModelConfiguration.self, from: Data(arguments[1].utf8))
        switch arguments[0] {
        case "--configuration" where arguments.count == 2:
            return [template]
        case "--batch":
            return arguments.dropFirst(2).map { path in
                var configuration = template
                configuration.path = path
                configuration.name = URL(fileURLWithPath: path).lastPathComponent  // so every error names the file
                return configuration
            }
        default:
            throw usage
        }
    }

    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))  // unbuffered: the parent reads it after a crash
    }
}
