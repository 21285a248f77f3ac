/// One element of a ``LlamaEngine/generate(prompt:options:)`` stream.
///
/// A stream yields one piece per generated token, then exactly one final piece that has no token and carries the
/// ``StopReason``:
///
/// - token pieces: `token` is the sampled id, `stopReason` is `nil`, and `text` is the text that became final with
///   this token. It can be empty: bytes of an unfinished UTF-8 character, or text that might begin a stop string,
///   are held back and arrive with a later piece. The end-of-sequence token is not yielded as a piece.
/// - the final piece: `token` is `nil`, `stopReason` says why generation ended, and `text` holds whatever was still
///   held back (an unfinished character becomes U+FFFD; text after a stop string is dropped), and `usage` reports
///   the prompt and generated token counts, cache reuse and timings.
///
/// Joining every piece's `text` gives the whole output. When the consumer goes away (its task is cancelled, or it
/// drops the stream), its request leaves the scheduling loop at the next step and its sequence is freed; a decode in
/// progress is abandoned part-way only when no other request shares it. Pieces produced before that may still be
/// delivered, then the stream finishes without a final piece. ``StopReason/cancelled`` reaches a consumer that is
/// still listening, e.g. when the engine is unloaded mid-generation.
///
/// ```swift
/// for try await piece in engine.generate(prompt: "Once upon a time", options: .init(maxTokens: 16)) {
///     print(piece.text, terminator: "")
///     if let reason = piece.stopReason { print("\n[\(reason)]") }
/// }
/// ```
public struct GeneratedPiece: Sendable, Hashable {
    /// The sampled token id; `nil` on the final piece.
    public var token: Int32?
    /// The text that became final with this piece (possibly empty).
    public var text: String
    /// Why generation ended; set on the final piece only.
    public var stopReason: StopReason?
    /// Token counts, cache reuse and timings; set on the final piece only.
    public var usage: GenerationUsage?

    /// Creates a piece.
    /// - Parameters:
    ///   - token: The token id, or `nil` for the final piece.
    ///   - text: The text.
    ///   - stopReason: The stop reason, for the final piece.
    ///   - usage: The usage, for the final piece.
    public init(token: Int32?, text: String, stopReason: StopReason? = nil, usage: GenerationUsage? = nil) {
        self.token = token
        self.text = text
        self.stopReason = stopReason
        self.usage = usage
    }
}

/// Why a generation ended.
public enum StopReason: Sendable, Hashable, CustomStringConvertible {
    /// `maxTokens` tokens were generated.
    case maxTokens
    /// The model produced an end-of-generation token (EOS, EOT).
    case endOfSequence
    /// The output contained this stop string (which was not emitted).
    case stopString(String)
    /// The context is full: prompt and output reached the context length of the request's sequence
    /// (``LlamaEngine/contextLength``).
    case contextFull
    /// Generation was cancelled (the engine was unloaded, or the consumer went away).
    case cancelled

    /// A short name, e.g. `stopString("\n")`.
    public var description: String {
        switch self {
        case .maxTokens: "maxTokens"
        case .endOfSequence: "endOfSequence"
        case .stopString(let stop): "stopString(\(stop.debugDescription))"
        case .contextFull: "contextFull"
        case .cancelled: "cancelled"
        }
    }
}
