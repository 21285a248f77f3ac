import LlamaEngine

/// The fields that shape a generation, shared by completions and chat and decoded from the request body itself:
/// OpenAI's `max_tokens`, `temperature`, `top_p`, `stop`, `seed`, `frequency_penalty`, `presence_penalty` and
/// `logit_bias`, and llama.cpp's `top_k`, `min_p`, `repeat_penalty`, `repeat_last_n` and `grammar` (as llama.cpp's
/// own server names them).
struct SamplingFields: Decodable, Sendable {
    var maxTokens: Int?
    var temperature: Float?
    var topP: Float?
    var topK: Int?
    var stop: OneOrMany<String>?
    var seed: Int64?
    var frequencyPenalty: Float?
    var presencePenalty: Float?
    var logitBias: [String: Float]?
    var minP: Float?
    var repeatPenalty: Float?
    var repeatLastN: Int?
    var grammar: String?

    enum CodingKeys: String, CodingKey {
        case temperature, stop, seed, grammar
        case maxTokens = "max_tokens", topP = "top_p", topK = "top_k"
        case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty", logitBias = "logit_bias"
        case minP = "min_p", repeatPenalty = "repeat_penalty", repeatLastN = "repeat_last_n"
    }

    /// The engine's options from the fields given; a value out of range is a 400 naming the field.
    /// - Parameters:
    ///   - defaultMaxTokens: The token budget when the request gives none.
    ///   - maxTokens: A budget that takes the place of `max_tokens` (chat's `max_completion_tokens`), if given.
    /// - Returns: The options.
    /// - Throws: ``HTTPError/malformedBody(field:reason:)`` for a value out of range.
    func generationOptions(
        defaultMaxTokens: Int, maxTokens override: Int? = nil
    ) throws(HTTPError) -> GenerationOptions {
        let maxTokens = override ?? maxTokens
        var options = GenerationOptions(maxTokens: maxTokens ?? defaultMaxTokens)
        try applyPenalties(to: &options)
        if let maxTokens, maxTokens < 1 { throw .malformedBody(field: "max_tokens", reason: "must be at least 1") }
        if let temperature {
            guard temperature.isFinite, (0...2).contains(temperature) else {
                throw .malformedBody(field: "temperature", reason: "must be between 0 and 2")
            }
            options.temperature = temperature
        }
        if let topP {
            guard (0...1).contains(topP) else { throw .malformedBody(field: "top_p", reason: "must be between 0 and 1") }
            options.topP = topP
        }
        if let topK {
            guard topK >= 0 else { throw .malformedBody(field: "top_k", reason: "must be 0 or more") }
            options.topK = topK
        }
        if let stop {
            guard stop.values.count <= 4 else { throw .malformedBody(field: "stop", reason: "give at most 4 stop strings") }
            options.stop = stop.values.filter { !$0.isEmpty }
        }
        if let seed {
            guard let value = UInt32(exactly: seed) else {
                throw .malformedBody(field: "seed", reason: "must be between 0 and \(UInt32.max)")
            }
            options.seed = value
        }
        return options
    }

    /// Copies the penalties, biases, `min_p` and the grammar given into `options`.
    private func applyPenalties(to options: inout GenerationOptions) throws(HTTPError) {
        if let frequencyPenalty {
            guard (-2...2).contains(frequencyPenalty) else {
                throw .malformedBody(field: "frequency_penalty", reason: "must be between -2 and 2")
            }
            options.frequencyPenalty = frequencyPenalty
        }
        if let presencePenalty {
            guard (-2...2).contains(presencePenalty) else {
                throw .malformedBody(field: "presence_penalty", reason: "must be between -2 and 2")
            }
            options.presencePenalty = presencePenalty
        }
        if let logitBias {
            var biases: [Int32: Float] = [:]
            for (key, bias) in logitBias {
                guard let token = Int32(key), token >= 0 else {
                    throw .malformedBody(field: "logit_bias", reason: "key \"\(key)\" is not a token id")
                }
                guard (-100...100).contains(bias) else {
                    throw .malformedBody(field: "logit_bias", reason: "bias \(bias) for token \(key) is not in -100...100")
                }
                biases[token] = bias == -100 ? -.infinity : bias
            }
            options.logitBias = biases
        }
        if let minP {
            guard (0...1).contains(minP) else { throw .malformedBody(field: "min_p", reason: "must be between 0 and 1") }
            options.minP = minP
        }
        if let repeatPenalty {
            guard repeatPenalty.isFinite, repeatPenalty > 0 else {
                throw .malformedBody(field: "repeat_penalty", reason: "must be above 0")
            }
            options.repeatPenalty = repeatPenalty
        }
        if let repeatLastN {
            guard repeatLastN >= -1 else { throw .malformedBody(field: "repeat_last_n", reason: "must be -1 or more") }
            options.penaltyLastN = repeatLastN
        }
        if let grammar { options.grammar = grammar }
    }
}
