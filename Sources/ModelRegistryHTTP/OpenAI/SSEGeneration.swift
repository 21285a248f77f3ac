import Foundation
import LlamaEngine
import ModelRegistry

/// Turns a generation under a lease into a server-sent-events body.
///
/// The generation starts before the response head is returned and the first piece (or the first error) is awaited,
/// so a prompt that is too long or a full queue still gets its own status instead of a 200 with an error inside.
/// Then a producer task forwards the pieces as events, releases the lease when the generation ends, and closes
/// with `data: [DONE]`. When the consumer drops the body (the client disconnected), the producer is cancelled,
/// which cancels the generation and frees its sequence.
struct SSEGeneration: Sendable {
    /// The events for one piece (none for a piece without text).
    var events: @Sendable (GeneratedPiece, _ isFirst: Bool) -> [Data]
    /// The events after the last piece: the finish reason, usage counts (from the final piece).
    var closing: @Sendable (_ reason: StopReason, _ usage: GenerationUsage) -> [Data]

    /// `data: <json>\n\n`.
    static func event(_ value: some Encodable) -> Data {
        var data = Data("data: ".utf8)
        data.append((try? JSONCoding.encoder.encode(value)) ?? Data("{}".utf8))
        data.append(Data("\n\n".utf8))
        return data
    }

    /// Starts the generation and returns the streamed response once its first piece is there.
    /// - Parameters:
    ///   - lease: The lease on the model; released when the stream ends, fails or is dropped.
    ///   - metrics: Counts the stream's outcome.
    ///   - pieces: Starts the generation.
    /// - Returns: The 200 response with the event stream.
    /// - Throws: The generation's first error (the lease is released first).
    func response(
        lease: ModelLease, metrics: RequestMetrics,
        pieces: AsyncThrowingStream<GeneratedPiece, any Error>
    ) async throws -> HTTPResponse {
        let (body, output) = AsyncThrowingStream.makeStream(of: Data.self)
        let started = OneShot<(any Error)?>()
        metrics.streamOpened()
        let producer = Task { [events, closing] in
            var isFirst = true
            var generated = 0
            var reason = StopReason.cancelled
            var usage: GenerationUsage?
            do {
                for try await piece in pieces {
                    if piece.token != nil { generated += 1 }
                    if let stop = piece.stopReason { reason = stop }
                    if let final = piece.usage { usage = final }
                    for event in events(piece, isFirst) {
                        if case .terminated = output.yield(event) { break }
                    }
                    if isFirst {
                        isFirst = false
                        started.fulfil(nil)
                    }
                }
                // the generation is over: the model is free before the last events go out, so a client that
                // has read `[DONE]` finds the lease released
                let cancelled = Task.isCancelled
                metrics.streamClosed(cancelled: cancelled)
                await lease.release()
                if !cancelled {
                    for event in closing(reason, usage ?? GenerationUsage(generatedTokens: generated)) { output.yield(event) }
                    output.yield(Data("data: [DONE]\n\n".utf8))
                }
                output.finish()
            } catch {
                if isFirst { metrics.streamFailedToStart() } else { metrics.streamClosed(cancelled: Task.isCancelled) }
                await lease.release()
                if isFirst {
                    started.fulfil(error)
                    output.finish()
                    return
                }
                output.yield(Self.event(OpenAIError(error: .init(HTTPError.from(error, mappers: RegistryRouter.errorMappers)))))
                output.finish()
            }
            started.fulfil(nil)
        }
        output.onTermination = { termination in
            if case .cancelled = termination { producer.cancel() }
        }
        let failure = await withTaskCancellationHandler { await started.value } onCancel: { producer.cancel() }
        if let failure { throw failure }
        return HTTPResponse(
            status: 200, headers: ["content-type": "text/event-stream", "cache-control": "no-cache"], body: .stream(body))
    }
}
