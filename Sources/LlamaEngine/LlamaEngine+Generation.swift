// MARK: - Generation

extension LlamaEngine {
    /// Generates text from a prompt, one piece per token, followed by a final piece that carries the
    /// ``StopReason`` and the ``GenerationUsage`` (see ``GeneratedPiece`` for the exact shape of the stream).
    ///
    /// The prompt is tokenized (BOS added per `options.addSpecialTokens`) and handed to the engine's scheduling
    /// loop, which decodes it together with every other running request (continuous batching) on the engine's
    /// queue. The request takes the free sequence whose cache shares the longest prefix with the prompt and
    /// decodes only the rest. When all `parallel` sequences are busy it waits in FIFO order. Dropping the stream or
    /// cancelling the task that iterates it frees the request's sequence at the next step and never disturbs the
    /// others.
    /// - Parameters:
    ///   - prompt: The prompt text.
    ///   - options: Sampling and stop options.
    /// - Returns: A stream of pieces. It finishes by throwing ``LlamaError`` at once, before any decode, when the
    ///   engine holds no model, is loaded as an embedding model
    ///   (``LlamaError/unsupportedOperation(model:operation:modelType:needs:)``), an option is out of range
    ///   (``LlamaError/invalidParameter(model:name:value:expected:)`` naming it), the grammar is malformed
    ///   (``LlamaError/invalidGrammar(model:reason:)``), the prompt is empty or longer than the context
    ///   (``LlamaError/inputTooLong(model:tokens:limit:setting:)``), or the wait queue is full
    ///   (``LlamaError/queueFull(model:running:queued:capacity:)``); later when a decode fails.
    public func generate(
        prompt: String, options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GeneratedPiece, any Error> {
        startGeneration(options: options) { session in
            try session.tokenize(prompt, addSpecial: options.addSpecialTokens)
        }
    }

    /// Generates text from prompt token ids, exactly as given (no BOS is added): the token form of
    /// ``generate(prompt:options:)``.
    /// - Parameters:
    ///   - tokens: The prompt's token ids, each in `0..<vocabularySize`.
    ///   - options: Sampling and stop options (`addSpecialTokens` is not used).
    /// - Returns: A stream of pieces; it throws what ``generate(prompt:options:)``'s stream throws, and
    ///   ``LlamaError/invalidToken(model:token:vocabularySize:)`` for an id outside the vocabulary.
    public func generate(
        tokens: [Int32], options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GeneratedPiece, any Error> {
        startGeneration(options: options) { session in
            if let bad = tokens.first(where: { $0 < 0 || Int($0) >= session.info.vocabularySize }) {
                throw LlamaError.invalidToken(model: session.info.name, token: bad, vocabularySize: session.info.vocabularySize)
            }
            return tokens
        }
    }

    /// Generates text and collects it: the convenience form of ``generate(prompt:options:)``.
    /// - Parameters:
    ///   - prompt: The prompt text.
    ///   - options: Sampling and stop options.
    /// - Returns: The text, the token ids, the stop reason (``StopReason/cancelled`` when the calling task was
    ///   cancelled and the stream ended early) and the usage.
    /// - Throws: What ``generate(prompt:options:)``'s stream throws.
    public func complete(
        prompt: String, options: GenerationOptions = GenerationOptions()
    ) async throws -> GenerationResult {
        try await Self.collect(generate(prompt: prompt, options: options))
    }

    /// Generates text from token ids and collects it: the convenience form of ``generate(tokens:options:)``.
    /// - Parameters:
    ///   - tokens: The prompt's token ids.
    ///   - options: Sampling and stop options.
    /// - Returns: The text, the token ids, the stop reason and the usage.
    /// - Throws: What ``generate(tokens:options:)``'s stream throws.
    public func complete(
        tokens: [Int32], options: GenerationOptions = GenerationOptions()
    ) async throws -> GenerationResult {
        try await Self.collect(generate(tokens: tokens, options: options))
    }

    /// Checks a request, builds it from the prompt tokens `makePrompt` returns, and submits it to the scheduler.
    func startGeneration(
        options: GenerationOptions, makePrompt: (LlamaSession) throws -> [Int32]
    ) -> AsyncThrowingStream<GeneratedPiece, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GeneratedPiece.self)
        do {
            let session = try currentSession()
            guard !session.isClosed else { throw LlamaError.notLoaded(model: session.info.name) }
            let request = try session.makeRequest(prompt: try makePrompt(session), options: options, continuation: continuation)
            guard let scheduler = session.scheduler else { throw LlamaError.notLoaded(model: session.info.name) }
            continuation.onTermination = { [cancelled = request.cancelled] _ in cancelled.set() }
            try scheduler.submit(request)
        } catch {
            continuation.finish(throwing: error)
        }
        return stream
    }

    /// Joins a stream's pieces into a result.
    static func collect(_ stream: AsyncThrowingStream<GeneratedPiece, any Error>) async throws -> GenerationResult {
        var text = ""
        var tokens: [Int32] = []
        var reason = StopReason.cancelled
        var usage = GenerationUsage()
        for try await piece in stream {
            text += piece.text
            if let token = piece.token { tokens.append(token) }
            if let stop = piece.stopReason { reason = stop }
            if let final = piece.usage { usage = final }
        }
        return GenerationResult(text: text, tokens: tokens, stopReason: reason, usage: usage)
    }
}
