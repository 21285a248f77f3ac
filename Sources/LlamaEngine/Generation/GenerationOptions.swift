/// How ``LlamaEngine/generate(prompt:options:)`` samples and when it stops.
///
/// ```swift
/// let greedy = GenerationOptions(maxTokens: 32)
/// let creative = GenerationOptions(maxTokens: 64, temperature: 0.8, topK: 40, topP: 0.95, seed: 7, stop: ["\n\n"])
/// ```
public struct GenerationOptions: Sendable, Hashable {
    /// The most tokens to generate (at least 1).
    public var maxTokens: Int
    /// The softmax temperature; 0 means greedy decoding (always the most likely token).
    public var temperature: Float
    /// Sample only among the `topK` most likely tokens; 0 disables the filter. Ignored when greedy.
    public var topK: Int
    /// Sample only among the most likely tokens whose probabilities sum to `topP` (in `0...1`; 1 disables the
    /// filter). Ignored when greedy.
    public var topP: Float
    /// The seed of the random draw; `nil` uses the model's `seed` parameter, or a random seed when it has none.
    /// With a fixed seed the same prompt and options give the same output.
    public var seed: UInt32?
    /// Strings that end generation when they appear in the output; the stop string itself is not emitted.
    public var stop: [String]
    /// Whether to add the special tokens (BOS) the model's metadata asks for in front of the prompt.
    public var addSpecialTokens: Bool

    /// Creates generation options.
    /// - Parameters:
    ///   - maxTokens: The most tokens to generate (at least 1).
    ///   - temperature: 0 for greedy decoding, else the softmax temperature.
    ///   - topK: The top-k filter (0 disables it).
    ///   - topP: The nucleus filter (1 disables it).
    ///   - seed: The random seed, or `nil` for the model's default.
    ///   - stop: Stop strings.
    ///   - addSpecialTokens: Whether to add BOS in front of the prompt.
    public init(
        maxTokens: Int = 128, temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, seed: UInt32? = nil,
        stop: [String] = [], addSpecialTokens: Bool = true
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.stop = stop
        self.addSpecialTokens = addSpecialTokens
    }

    /// The first option out of range, as (name, value, what is allowed), or `nil` when all are valid.
    var invalidOption: (name: String, value: String, expected: String)? {
        if maxTokens < 1 { return ("maxTokens", "\(maxTokens)", "at least 1") }
        if !temperature.isFinite || temperature < 0 { return ("temperature", "\(temperature)", "0 or more") }
        if topK < 0 { return ("topK", "\(topK)", "0 or more") }
        if !(0...1).contains(topP) { return ("topP", "\(topP)", "between 0 and 1") }
        return nil
    }
}
