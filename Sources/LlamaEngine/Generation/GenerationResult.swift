/// A whole generation, collected by ``LlamaEngine/complete(prompt:options:)``.
public struct GenerationResult: Sendable, Hashable {
    /// The generated text (stop string excluded).
    public var text: String
    /// The generated token ids (end-of-sequence token excluded).
    public var tokens: [Int32]
    /// Why generation ended.
    public var stopReason: StopReason

    /// Creates a result.
    /// - Parameters:
    ///   - text: The text.
    ///   - tokens: The token ids.
    ///   - stopReason: Why generation ended.
    public init(text: String, tokens: [Int32], stopReason: StopReason) {
        self.text = text
        self.tokens = tokens
        self.stopReason = stopReason
    }
}
