/// How ``LlamaEngine/generate(prompt:options:)`` and ``LlamaEngine/chat(messages:options:)`` sample and when they
/// stop.
///
/// The sampler chain is built from these options in llama.cpp's order: logit bias → penalties → grammar → then
/// greedy (temperature 0), or top-k → top-p → min-p → temperature → a seeded draw.
///
/// ```swift
/// let greedy = GenerationOptions(maxTokens: 32)
/// let creative = GenerationOptions(maxTokens: 64, temperature: 0.8, topK: 40, topP: 0.95, seed: 7, stop: ["\n\n"])
/// let yesNo = GenerationOptions(maxTokens: 4, grammar: #"root ::= "yes" | "no""#)
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
    /// Drop tokens whose probability is below `minP` times the most likely token's (in `0...1`; 0 disables the
    /// filter). Ignored when greedy.
    public var minP: Float
    /// Divide the logits of tokens seen in the last ``penaltyLastN`` tokens by this (above 0; 1 disables it).
    public var repeatPenalty: Float
    /// Subtract this times a token's count in the window from its logit (0 disables it).
    public var frequencyPenalty: Float
    /// Subtract this from the logit of every token present in the window (0 disables it).
    public var presencePenalty: Float
    /// The penalty window: the last `penaltyLastN` tokens (prompt and output); 0 disables the penalties, -1 uses
    /// the context length.
    public var penaltyLastN: Int
    /// Added to the logits of these token ids before sampling; `-Float.infinity` bans a token.
    public var logitBias: [Int32: Float]
    /// A GBNF grammar (llama.cpp's format, start symbol `root`) the output must follow; `nil` for none.
    public var grammar: String?
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
    ///   - minP: The min-p filter (0 disables it).
    ///   - repeatPenalty: The repetition penalty (1 disables it).
    ///   - frequencyPenalty: The frequency penalty (0 disables it).
    ///   - presencePenalty: The presence penalty (0 disables it).
    ///   - penaltyLastN: The penalty window in tokens (0 disables, -1 = the context length).
    ///   - logitBias: Biases added to token logits.
    ///   - grammar: A GBNF grammar, or `nil`.
    ///   - seed: The random seed, or `nil` for the model's default.
    ///   - stop: Stop strings.
    ///   - addSpecialTokens: Whether to add BOS in front of the prompt.
    public init(
        maxTokens: Int = 128, temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, minP: Float = 0,
        repeatPenalty: Float = 1, frequencyPenalty: Float = 0, presencePenalty: Float = 0, penaltyLastN: Int = 64,
        logitBias: [Int32: Float] = [:], grammar: String? = nil, seed: UInt32? = nil, stop: [String] = [],
        addSpecialTokens: Bool = true
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.penaltyLastN = penaltyLastN
        self.logitBias = logitBias
        self.grammar = grammar
        self.seed = seed
        self.stop = stop
        self.addSpecialTokens = addSpecialTokens
    }

    /// The first option out of range, as (name, value, what is allowed), or `nil` when all are valid.
    /// - Parameter vocabularySize: The model's vocabulary size, for the logit-bias token ids.
    func invalidOption(vocabularySize: Int) -> (name: String, value: String, expected: String)? {
        if maxTokens < 1 { return ("maxTokens", "\(maxTokens)", "at least 1") }
        if !temperature.isFinite || temperature < 0 { return ("temperature", "\(temperature)", "0 or more") }
        if topK < 0 { return ("topK", "\(topK)", "0 or more") }
        if !(0...1).contains(topP) { return ("topP", "\(topP)", "between 0 and 1") }
        if !(0...1).contains(minP) { return ("minP", "\(minP)", "between 0 and 1") }
        if !repeatPenalty.isFinite || repeatPenalty <= 0 { return ("repeatPenalty", "\(repeatPenalty)", "above 0") }
        if !frequencyPenalty.isFinite { return ("frequencyPenalty", "\(frequencyPenalty)", "a finite number") }
        if !presencePenalty.isFinite { return ("presencePenalty", "\(presencePenalty)", "a finite number") }
        if penaltyLastN < -1 { return ("penaltyLastN", "\(penaltyLastN)", "-1 (the context length), 0 or more") }
        for (token, bias) in logitBias.sorted(by: { $0.key < $1.key }) {
            if token < 0 || Int(token) >= vocabularySize {
                return ("logitBias", "token \(token)", "token ids in 0..<\(vocabularySize)")
            }
            if bias.isNaN || bias == .infinity {
                return ("logitBias", "\(bias) for token \(token)", "a finite number or -infinity")
            }
        }
        if let grammar, grammar.utf8.contains(0) { return ("grammar", "a string with a NUL byte", "GBNF text") }
        return nil
    }
}
