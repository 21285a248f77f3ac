/// A whole generation, collected by ``LlamaEngine/complete(prompt:options:)`` or
/// ``LlamaEngine/completeChat(messages:options:)``.
public struct GenerationResult: Sendable, Hashable {
    /// The generated text (stop string excluded).
    public var text: String
    /// The generated token ids (end-of-sequence token excluded).
    public var tokens: [Int32]
    /// Why generation ended.
    public var stopReason: StopReason
    /// Prompt and generated token counts, cache reuse and timings (zero when the stream ended without its final
    /// piece, e.g. when the calling task was cancelled).
    public var usage: GenerationUsage

    /// Creates a result.
    /// - Parameters:
    ///   - text: The text.
    ///   - tokens: The token ids.
    ///   - stopReason: Why generation ended.
    ///   - usage: Token counts and timings.
    public init(text: String, tokens: [Int32], stopReason: StopReason, usage: GenerationUsage = GenerationUsage()) {
        self.text = text
        self.tokens = tokens
        self.stopReason = stopReason
        self.usage = usage
    }
}
