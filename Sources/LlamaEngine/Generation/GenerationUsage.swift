/// What a generation cost, as Ollama's responses report it: prompt tokens (and how many of them were reused from
/// the prompt cache), generated tokens, and the time spent on each part.
public struct GenerationUsage: Sendable, Hashable {
    /// Tokens of the prompt (BOS and chat-template tokens included).
    public var promptTokens: Int
    /// Leading prompt tokens whose KV-cache entries were reused from an earlier request on the same sequence slot,
    /// so they were not decoded again (at most `promptTokens - 1`: the last prompt token is always decoded).
    public var cachedTokens: Int
    /// Tokens sampled (the end-of-generation token not counted).
    public var generatedTokens: Int
    /// From the moment the request got a sequence slot until its first token was sampled (prompt decoding).
    public var promptDuration: Duration
    /// From the first sampled token until the last.
    public var generationDuration: Duration

    /// Creates a usage record.
    /// - Parameters:
    ///   - promptTokens: Prompt tokens.
    ///   - cachedTokens: Prompt tokens reused from the cache.
    ///   - generatedTokens: Tokens sampled.
    ///   - promptDuration: Time spent on the prompt.
    ///   - generationDuration: Time spent generating.
    public init(
        promptTokens: Int = 0, cachedTokens: Int = 0, generatedTokens: Int = 0, promptDuration: Duration = .zero,
        generationDuration: Duration = .zero
    ) {
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.generatedTokens = generatedTokens
        self.promptDuration = promptDuration
        self.generationDuration = generationDuration
    }
}
