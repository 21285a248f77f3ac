import Foundation

/// The body of `POST /v1/completions`.
struct CompletionRequest: Decodable, Sendable {
    var model: String
    var prompt: OneOrMany<String>
    var maxTokens: Int?
    var temperature: Float?
    var topP: Float?
    var topK: Int?
    var stop: OneOrMany<String>?
    var seed: Int64?
    var stream: Bool?
    var streamOptions: StreamOptions?

    enum CodingKeys: String, CodingKey {
        case model, prompt, temperature, stop, seed, stream
        case maxTokens = "max_tokens", topP = "top_p", topK = "top_k", streamOptions = "stream_options"
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
struct OpenAIUsage: Codable, Sendable {
    var promptTokens: Int
    var completionTokens: Int?
    var totalTokens: Int
    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
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
