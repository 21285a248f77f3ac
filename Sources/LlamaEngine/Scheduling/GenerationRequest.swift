/// One generation handed to the ``LlamaScheduler``: its prompt tokens, sampler and stream, and (once it has a
/// sequence slot) how far it got.
///
/// `@unchecked Sendable` because it is created on the caller's thread and then touched only by the scheduling
/// loop on the engine's queue (handed over through the scheduler's locked inbox); what other threads reach is
/// ``cancelled`` (atomic) and the continuation (thread-safe).
final class GenerationRequest: @unchecked Sendable {
    typealias Continuation = AsyncThrowingStream<GeneratedPiece, any Error>.Continuation

    let prompt: [Int32]
    let maxTokens: Int
    let sampler: LlamaSampler
    let continuation: Continuation
    /// Set when the consumer goes away (stream dropped, its task cancelled).
    let cancelled = CancellationFlag()

    // Loop only, from here on.
    var text: GenerationText
    /// Prompt tokens already in the slot's KV cache (reused plus decoded so far).
    var promptDecoded = 0
    /// Prompt tokens reused from the slot's cache.
    var cachedTokens = 0
    /// The sampled token that the next step decodes; `nil` while the prompt is still being decoded.
    var pending: Int32?
    /// Tokens sampled.
    var generated = 0
    /// When the request got its slot, when its first token was sampled, and its latest token.
    var admitted: ContinuousClock.Instant?
    var firstToken: ContinuousClock.Instant?
    var lastToken: ContinuousClock.Instant?

    init(prompt: [Int32], options: GenerationOptions, sampler: LlamaSampler, continuation: Continuation) {
        self.prompt = prompt
        maxTokens = options.maxTokens
        self.sampler = sampler
        self.continuation = continuation
        text = GenerationText(stops: options.stop)
    }

    /// Prompt tokens still to decode.
    var promptRemaining: Int { prompt.count - promptDecoded }

    /// The usage so far.
    func usage(now: ContinuousClock.Instant) -> GenerationUsage {
        let start = admitted ?? now
        let first = firstToken ?? now
        return GenerationUsage(
            promptTokens: prompt.count, cachedTokens: cachedTokens, generatedTokens: generated,
            promptDuration: first - start, generationDuration: (lastToken ?? first) - first)
    }

    /// Emits a piece.
    /// - Returns: `false` when the consumer is gone.
    func emit(_ piece: GeneratedPiece) -> Bool {
        if case .terminated = continuation.yield(piece) { return false }
        return true
    }

    /// Emits the final piece (held-back text, the reason, the usage) and finishes the stream.
    func finish(_ reason: StopReason, now: ContinuousClock.Instant) {
        _ = emit(GeneratedPiece(token: nil, text: text.finish(), stopReason: reason, usage: usage(now: now)))
        continuation.finish()
    }

    /// Ends the stream with an error.
    func fail(_ error: any Error) { continuation.finish(throwing: error) }
}
