import Foundation
import LlamaEngine
import ModelRegistry

// MARK: - Chat completions

extension RegistryRouter {
    /// `POST /v1/chat/completions` on the llama engine's chat API (the model's chat template, or the
    /// `chatTemplate` parameter), whole or streamed as server-sent events.
    static let openAIChatRoutes: [Route] = [
        Route(.post, "/v1/chat/completions") { router, request, _ in
            let body = try JSONCoding.decode(ChatCompletionRequest.self, from: request.body)
            return try await Routed.answering(for: body.model) { try await router.chat(body) }
        },
    ]

    func chat(_ request: ChatCompletionRequest) async throws -> HTTPResponse {
        guard !request.messages.isEmpty else {
            throw HTTPError.malformedBody(field: "messages", reason: "give at least one message")
        }
        let options = try request.sampling.generationOptions(
            defaultMaxTokens: 128, maxTokens: request.maxCompletionTokens)
        let (lease, engine) = try await llamaLease(request.model, type: .llm, route: "/v1/chat/completions")
        let id = "chatcmpl-\(UUID().uuidString.lowercased())"
        let created = Int(Date().timeIntervalSince1970)
        let model = request.model
        let messages = request.messages
        if request.stream == true {
            let includeUsage = request.streamOptions?.includeUsage == true
            @Sendable func chunk(_ delta: ChatDelta, finish: String? = nil, usage: OpenAIUsage? = nil, choices: Bool = true) -> Data {
                SSEGeneration.event(ChatChunk(
                    id: id, created: created, model: model,
                    choices: choices ? [ChatChunk.Choice(delta: delta, finishReason: finish)] : [], usage: usage))
            }
            let stream = SSEGeneration(
                events: { piece, isFirst in
                    var events: [Data] = []
                    if isFirst { events.append(chunk(ChatDelta(role: "assistant", content: ""))) }
                    if !piece.text.isEmpty { events.append(chunk(ChatDelta(content: piece.text))) }
                    return events
                },
                closing: { reason, usage in
                    var events = [chunk(ChatDelta(), finish: Self.finishReason(reason))]
                    if includeUsage { events.append(chunk(ChatDelta(), usage: OpenAIUsage(usage), choices: false)) }
                    return events
                })
            return try await stream.response(
                lease: lease, metrics: metrics, pieces: engine.chat(messages: messages, options: options))
        }
        do {
            let result = try await engine.completeChat(messages: messages, options: options)
            await lease.release()
            return .json(ChatCompletion(
                id: id, created: created, model: model,
                choices: [ChatCompletion.Choice(
                    message: ChatMessage(role: .assistant, content: result.text),
                    finishReason: Self.finishReason(result.stopReason))],
                usage: OpenAIUsage(result.usage)))
        } catch {
            await lease.release()
            throw error
        }
    }
}

/// The body of `POST /v1/chat/completions`.
struct ChatCompletionRequest: Decodable, Sendable {
    var model: String
    var messages: [ChatMessage]
    var maxCompletionTokens: Int?
    var stream: Bool?
    var streamOptions: StreamOptions?
    /// `max_tokens`, `temperature` and the other fields that shape the generation.
    var sampling: SamplingFields

    enum CodingKeys: String, CodingKey {
        case model, messages, stream
        case maxCompletionTokens = "max_completion_tokens", streamOptions = "stream_options"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        messages = try container.decode([ChatMessage].self, forKey: .messages)
        maxCompletionTokens = try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        sampling = try SamplingFields(from: decoder)
    }
}

/// A whole chat completion.
struct ChatCompletion: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var index = 0
        var message: ChatMessage
        var finishReason: String
        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }
    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: OpenAIUsage
}

/// `delta` in a streamed chat chunk.
struct ChatDelta: Encodable, Sendable {
    var role: String?
    var content: String?
}

/// One event of a streamed chat completion.
struct ChatChunk: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var index = 0
        var delta: ChatDelta
        var finishReason: String?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finishReason, forKey: .finishReason)  // null until the last event, as OpenAI sends it
        }
        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }
    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: OpenAIUsage?
}
