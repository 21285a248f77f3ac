/// The text side of one generation: UTF-8 assembly of token bytes, then stop-string matching.
struct GenerationText {
    private var utf8 = UTF8Assembler()
    private var matcher: StopStringMatcher
    private var stoppedOnString = false

    /// Creates the text state.
    /// - Parameter stops: The request's stop strings.
    init(stops: [String]) { matcher = StopStringMatcher(stops: stops) }

    /// Adds one token's bytes.
    /// - Returns: Text to emit now, or the stop string found with the text ahead of it.
    mutating func append(_ bytes: [UInt8]) -> StopStringMatcher.Outcome {
        let outcome = matcher.append(utf8.append(bytes))
        if case .stopped = outcome { stoppedOnString = true }
        return outcome
    }

    /// Ends the text.
    /// - Returns: What was still held back (nothing after a stop string).
    mutating func finish() -> String {
        guard !stoppedOnString else { return "" }
        switch matcher.append(utf8.flush()) {
        case .text(let text): return text + matcher.flush()
        case .stopped(let before, _): return before
        }
    }
}
