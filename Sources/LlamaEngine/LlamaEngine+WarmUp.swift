import ModelRegistry

extension LlamaEngine {
    /// Answers the configured warm-up prompt once (``ModelConfiguration/warmUp``): one greedy token for a language
    /// model, an embedding for an embedding model; then clears the prompt cache, so the warm-up leaves nothing
    /// behind.
    /// - Parameter input: The prompt.
    /// - Throws: What ``complete(prompt:options:)`` or ``embed(_:)-(String)`` throw.
    public func warmUp(_ input: String) async throws {
        if loadedInfo?.embeddingMode == true {
            _ = try await embed(input)
        } else {
            _ = try await complete(prompt: input, options: GenerationOptions(maxTokens: 1))
            try await clearPromptCache()
        }
    }
}
