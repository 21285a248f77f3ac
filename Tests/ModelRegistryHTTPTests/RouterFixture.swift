import Foundation
import ModelRegistry
import ModelRegistryEngines
@testable import ModelRegistryHTTP
import ModelRegistryTestSupport
import Testing

/// A router over a registry of the real fixture models: `iris` (ONNX classifier), `tiny` (llama.cpp LLM), `embed`
/// (llama.cpp embeddings), and `broken` (a path that does not exist), with an optional catalog.
struct RouterFixture {
    let registry: ModelRegistry
    let router: RegistryRouter
    let folder: URL

    init(maxBodyBytes: Int = 1 << 20, withCatalog: Bool = true, preloadTiny: Bool = false) throws {
        folder = try NativeFixtures.temporaryDirectory()
        var tiny = ModelConfiguration(
            name: "tiny", engine: .llamacpp, modelType: .llm, path: NativeFixtures.model("tiny-llama.gguf").path,
            contextLength: 64, parameters: ["chatTemplate": "chatml"])
        tiny.preload = preloadTiny
        // One sequence and no wait queue: a second request while one runs is refused (429). Its long context lets
        // a test keep that sequence generating (greedy, so never EOS) for as long as it needs.
        let busy = ModelConfiguration(
            name: "busy", engine: .llamacpp, modelType: .llm, path: NativeFixtures.model("tiny-llama.gguf").path,
            queueCapacity: 0, contextLength: 2048, parallel: 1)
        let models = [
            ModelConfiguration(
                name: "iris", engine: .onnxruntime, modelType: .classifier,
                path: NativeFixtures.model("logreg_iris.onnx").path, version: "1.0.0"),
            tiny, busy,
            ModelConfiguration(
                name: "embed", engine: .llamacpp, modelType: .embedding, path: NativeFixtures.model("tiny-embed.gguf").path),
            ModelConfiguration(
                name: "broken", engine: .onnxruntime, modelType: .tensor, path: folder.appendingPathComponent("missing.onnx").path),
        ]
        registry = ModelRegistry(factory: .builtIn, models: models)
        let catalog = withCatalog ? try ModelCatalog(fileURL: folder.appendingPathComponent("catalog.json")) : nil
        router = RegistryRouter(registry: registry, catalog: catalog, options: .init(maxBodyBytes: maxBodyBytes))
    }

    /// What a call returned, with the body parsed as JSON when it is JSON.
    struct Reply {
        var response: HTTPResponse
        var status: Int { response.status }
        var text: String { String(decoding: response.bodyBytes ?? Data(), as: UTF8.self) }
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: response.bodyBytes ?? Data())) as? [String: Any] ?? [:]
        }
        /// OpenAI's and the management API's `error.message`, or KServe's `error`.
        var errorMessage: String {
            (json["error"] as? [String: Any])?["message"] as? String ?? json["error"] as? String ?? ""
        }
        /// OpenAI's `error.param` or the management API's `error.field`.
        var errorField: String? {
            let error = json["error"] as? [String: Any]
            return error?["param"] as? String ?? error?["field"] as? String
        }
    }

    func call(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async -> Reply {
        Reply(response: await router.handle(HTTPRequest(method: method, path: path, body: Data((body ?? "").utf8))))
    }

    /// The events of a streamed response, read to the end.
    static func events(of response: HTTPResponse) async throws -> [String] {
        guard case .stream(let stream) = response.body else { return [] }
        var text = ""
        for try await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
        return text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { String($0.dropFirst("data: ".count)) }
    }

    /// Starts a streamed greedy completion on `busy` that will not end on its own for a long while (greedy never
    /// samples EOS here), so `busy`'s one sequence stays taken, and returns once its first event arrived.
    /// - Returns: The task reading the stream; cancel it to go away like a client, its value is the events it read.
    /// - Throws: When the reply is not a stream, or the stream ends before its first event.
    func generatingOnBusy() async throws -> Task<Int, any Error> {
        let reply = await call(
            .post, "/v1/completions", #"{"model":"busy","prompt":"a","max_tokens":2000,"temperature":0,"stream":true}"#)
        try #require(reply.status == 200, "\(reply.text)")
        guard case .stream(let stream) = reply.response.body else { throw NotStreamed() }
        let (firstEvent, signal) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            defer { signal.finish() }
            var events = 0
            for try await _ in stream {
                events += 1
                signal.yield()
            }
            return events
        }
        var started = false
        for await _ in firstEvent {
            started = true
            break
        }
        try #require(started, "the stream ended before its first event")
        return reader
    }

    /// A reply that should have been streamed was not.
    struct NotStreamed: Error {}

    func cleanUp() async {
        await registry.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}
