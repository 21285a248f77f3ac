import LlamaEngine

/// A prompt of an exact number of tokens, so our prompt processing matches llama-bench's `-p`.
struct LlamaPrompt {
    var text: String
    /// Its token count, BOS included.
    var tokens: Int

    /// Words that are single tokens in the generated test vocabularies (and common in real ones).
    private static let words = [
        "the", "cat", "and", "dog", "of", "sun", "moon", "star", "tree", "water", "red", "green", "blue", "one", "two",
        "three", "hello", "world", "model", "token", "text", "engine", "llama", "swift", "test", "is", "a", "to", "in",
    ]

    /// Adds words until the prompt has `tokens` tokens (with BOS).
    /// - Returns: The prompt; when a word overshoots the count, the closest shorter prompt (its count says so).
    /// - Throws: What ``LlamaEngine/tokenize(_:addSpecial:)`` throws.
    static func make(tokens target: Int, engine: LlamaEngine) async throws -> LlamaPrompt {
        var best = LlamaPrompt(text: words[0], tokens: try await engine.tokenize(words[0], addSpecial: true).count)
        var index = 1
        while best.tokens < target {
            let text = best.text + " " + words[index % words.count]
            let count = try await engine.tokenize(text, addSpecial: true).count
            if count > target { break }
            best = LlamaPrompt(text: text, tokens: count)
            index += 1
        }
        if best.tokens != target { Progress.say("prompt has \(best.tokens) tokens, not \(target)") }
        return best
    }
}
