import LlamaEngine

/// The sampling fields beyond the basic ones, shared by completions and chat: OpenAI's `frequency_penalty`,
/// `presence_penalty` and `logit_bias`, and llama.cpp's `min_p`, `repeat_penalty`, `repeat_last_n` and `grammar`
/// (as llama.cpp's own server names them).
struct SamplingFields: Decodable, Sendable {
    var frequencyPenalty: Float?
    var presencePenalty: Float?
    var logitBias: [String: Float]?
    var minP: Float?
    var repeatPenalty: Float?
    var repeatLastN: Int?
    var grammar: String?

    enum CodingKeys: String, CodingKey {
        case grammar
        case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty", logitBias = "logit_bias"
        case minP = "min_p", repeatPenalty = "repeat_penalty", repeatLastN = "repeat_last_n"
    }

    /// Copies the fields given into `options`; a value out of range is a 400 naming the field.
    func apply(to options: inout GenerationOptions) throws(HTTPError) {
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
