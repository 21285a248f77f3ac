import Foundation
import LlamaEngine

/// The body of `POST /v1/completions`.
struct CompletionRequest: Decodable, Sendable {
    var model: String
    var prompt: OneOrMany<String>
    var stream: Bool?
    var streamOptions: StreamOptions?
    /// `max_tokens`, `temperature` and the other fields that shape the generation.
    var sampling: SamplingFields

    enum CodingKeys: String, CodingKey {
        case model, prompt, stream
        case streamOptions = "stream_options"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        prompt = try container.decode(OneOrMany<String>.self, forKey: .prompt)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        sampling = try SamplingFields(from: decoder)
    }
}

/// `stream_options`: whether the last event before `[DONE]` carries the usage counts.
struct StreamOptions: Decodable, Sendable {
    var includeUsage: Bool?
    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
}

/// The body of `POST /v1/embeddings`.
struct EmbeddingRequest: Decodable, Sendable {
    var model: String
    var input: OneOrMany<String>
    var encodingFormat: String?
    enum CodingKeys: String, CodingKey {
        case model, input
        case encodingFormat = "encoding_format"
    }
}

/// `usage` in OpenAI responses.
struct OpenAIUsage: Encodable, Sendable {
    struct PromptDetails: Encodable, Sendable {
        var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }
    var promptTokens: Int
    var completionTokens: Int?
    var totalTokens: Int
    var promptTokensDetails: PromptDetails?
    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
    }
}

/// One choice of a (streamed or whole) text completion.
struct CompletionChoice: Encodable, Sendable {
    var text: String
    var index = 0
    var finishReason: String?
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(index, forKey: .index)
        try container.encodeNil(forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }
    enum CodingKeys: String, CodingKey {
        case text, index, logprobs
        case finishReason = "finish_reason"
    }
}

/// A text completion, or one event of a streamed one.
struct CompletionResponse: Encodable, Sendable {
    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var choices: [CompletionChoice]
    var usage: OpenAIUsage?
}

/// One embedding; `embedding` is floats, or base64 of little-endian float32s when asked for.
struct EmbeddingData: Encodable, Sendable {
    enum Vector: Encodable, Sendable {
        case floats([Float])
        case base64(String)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }
    var object = "embedding"
    var index: Int
    var embedding: Vector
}

/// The response of `POST /v1/embeddings`.
struct EmbeddingResponse: Encodable, Sendable {
    var object = "list"
    var data: [EmbeddingData]
    var model: String
    var usage: OpenAIUsage
}

extension OpenAIUsage {
    /// The engine's counts.
    init(_ usage: GenerationUsage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.generatedTokens
        totalTokens = usage.promptTokens + usage.generatedTokens
        promptTokensDetails = PromptDetails(cachedTokens: usage.cachedTokens)
    }
}
