import CLlama

// MARK: - Generation

extension LlamaSession {
    /// Runs one generation (queue only): decodes the prompt, then samples, emits and decodes one token at a time,
    /// checking for cancellation before every decode and, through libllama's abort callback, inside it.
    /// - Parameters:
    ///   - prompt: The prompt text.
    ///   - options: Sampling and stop options.
    ///   - isCancelled: Whether the consumer has gone away.
    ///   - emit: Delivers a piece; returns `false` when nobody listens any more.
    /// - Throws: ``LlamaError`` for a wrong model type, bad options, an empty or too long prompt, or a failed decode.
    func generate(
        prompt: String, options: GenerationOptions, isCancelled: @Sendable () -> Bool, emit: (GeneratedPiece) -> Bool
    ) throws {
        guard !info.embeddingMode else {
            throw LlamaError.unsupportedOperation(
                model: info.name, operation: "generate text", modelType: info.modelTypeName, needs: "llm")
        }
        if let bad = options.invalidOption {
            throw LlamaError.invalidParameter(model: info.name, name: bad.name, value: bad.value, expected: bad.expected)
        }
        var tokens = try tokenize(prompt, addSpecial: options.addSpecialTokens)
        guard !tokens.isEmpty else { throw LlamaError.emptyInput(model: info.name, operation: "generate") }
        guard tokens.count < info.contextLength else {
            throw LlamaError.inputTooLong(
                model: info.name, tokens: tokens.count, limit: info.contextLength - 1, setting: "contextLength")
        }
        context.clearMemory()
        lastGeneration = GenerationTrace()
        var state = GenerationState(stops: options.stop)
        @Sendable func stopped() -> Bool { isCancelled() || isClosed }
        func decodeUnlessStopped(_ batch: inout [Int32], from start: Int, count: Int) throws -> Bool {
            if stopped() { return false }
            if try decode(&batch, from: start, count: count, stoppingWhen: stopped) { return true }
            lastGeneration?.stoppedInsideDecode = true
            return false
        }

        var position = 0
        while position < tokens.count {
            let count = min(info.batchSize, tokens.count - position)
            guard try decodeUnlessStopped(&tokens, from: position, count: count) else {
                return state.finish(.cancelled, emit: emit)
            }
            position += count
        }

        let seed = options.seed ?? info.defaultSeed ?? UInt32(LLAMA_DEFAULT_SEED)
        let sampler = LlamaSampler(temperature: options.temperature, topK: options.topK, topP: options.topP, seed: seed)
        var generated = 0
        while true {
            if stopped() { return state.finish(.cancelled, emit: emit) }
            var token = [sampler.sample(from: context)]
            if model.isEndOfGeneration(token[0]) { return state.finish(.endOfSequence, emit: emit) }
            generated += 1
            lastGeneration?.sampledTokens = generated
            switch state.append(model.piece(token[0])) {
            case .text(let text):
                guard emit(GeneratedPiece(token: token[0], text: text)) else { return }
            case .stopped(let before, let stop):
                guard emit(GeneratedPiece(token: token[0], text: before)) else { return }
                return state.finish(.stopString(stop), emit: emit)
            }
            if generated >= options.maxTokens { return state.finish(.maxTokens, emit: emit) }
            if position >= info.contextLength { return state.finish(.contextFull, emit: emit) }
            guard try decodeUnlessStopped(&token, from: 0, count: 1) else {
                return state.finish(.cancelled, emit: emit)
            }
            position += 1
        }
    }
}

/// What a generation did, kept by the session for tests and diagnostics.
struct GenerationTrace: Sendable, Equatable {
    /// Tokens sampled so far.
    var sampledTokens = 0
    /// Whether cancellation or an unload stopped it inside a `llama_decode`, through libllama's abort callback.
    var stoppedInsideDecode = false
}

/// The text side of a generation: UTF-8 assembly, then stop-string matching.
private struct GenerationState {
    var utf8 = UTF8Assembler()
    var matcher: StopStringMatcher
    var stoppedOnString = false

    init(stops: [String]) { matcher = StopStringMatcher(stops: stops) }

    mutating func append(_ bytes: [UInt8]) -> StopStringMatcher.Outcome {
        let outcome = matcher.append(utf8.append(bytes))
        if case .stopped = outcome { stoppedOnString = true }
        return outcome
    }

    /// Emits the final piece: held-back text (none after a stop string) and the reason.
    mutating func finish(_ reason: StopReason, emit: (GeneratedPiece) -> Bool) {
        var rest = ""
        if !stoppedOnString {
            switch matcher.append(utf8.flush()) {
            case .text(let text): rest = text + matcher.flush()
            case .stopped(let before, _): rest = before
            }
        }
        _ = emit(GeneratedPiece(token: nil, text: rest, stopReason: reason))
    }
}
