// MARK: - Generation

extension LlamaEngine {
    /// Generates text from a prompt, one piece per token, followed by a final piece that carries the
    /// ``StopReason`` (see ``GeneratedPiece`` for the exact shape of the stream).
    ///
    /// The prompt is tokenized (BOS added per `options.addSpecialTokens`) and decoded from an empty context in
    /// batches of `batchSize`, then tokens are sampled (`llama_sampler_sample`) and decoded (`llama_decode`) one at
    /// a time on the engine's queue. Before every decode, and between the operations of a decode (libllama's abort
    /// callback), the loop checks whether the consumer is gone (the stream was dropped, or the iterating task
    /// cancelled) or the engine is unloading, and stops if so.
    /// - Parameters:
    ///   - prompt: The prompt text.
    ///   - options: Sampling and stop options.
    /// - Returns: A stream of pieces. It finishes by throwing ``LlamaError`` when the engine holds no model, is
    ///   loaded as an embedding model (``LlamaError/unsupportedOperation(model:operation:modelType:needs:)``), the
    ///   options are out of range, the prompt is longer than the context, or a decode fails.
    public func generate(
        prompt: String, options: GenerationOptions = GenerationOptions()
    ) -> AsyncThrowingStream<GeneratedPiece, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GeneratedPiece.self)
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.set() }
        let session: LlamaSession
        do {
            session = try currentSession()
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        queue.async {
            do {
                guard !session.isClosed else { throw LlamaError.notLoaded(model: session.info.name) }
                try session.generate(prompt: prompt, options: options, isCancelled: { cancelled.isSet }) { piece in
                    if case .terminated = continuation.yield(piece) { return false }
                    return true
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// Generates text and collects it: the convenience form of ``generate(prompt:options:)``.
    /// - Parameters:
    ///   - prompt: The prompt text.
    ///   - options: Sampling and stop options.
    /// - Returns: The text, the token ids and the stop reason (``StopReason/cancelled`` when the calling task was
    ///   cancelled and the stream ended early).
    /// - Throws: What ``generate(prompt:options:)``'s stream throws.
    public func complete(
        prompt: String, options: GenerationOptions = GenerationOptions()
    ) async throws -> GenerationResult {
        var text = ""
        var tokens: [Int32] = []
        var reason = StopReason.cancelled
        for try await piece in generate(prompt: prompt, options: options) {
            text += piece.text
            if let token = piece.token { tokens.append(token) }
            if let stop = piece.stopReason { reason = stop }
        }
        return GenerationResult(text: text, tokens: tokens, stopReason: reason)
    }
}
