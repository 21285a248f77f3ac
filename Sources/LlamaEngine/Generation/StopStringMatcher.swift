/// Finds stop strings in generated text that arrives in pieces.
///
/// Text that might be the start of a stop string is held back until the next pieces show whether it is, so a stop
/// string never leaks into the output even when it spans several tokens. Matching is on UTF-8 bytes; since both the
/// text and the stop strings are valid UTF-8, every cut falls on a character boundary.
struct StopStringMatcher {
    /// What appending a piece of text produced.
    enum Outcome: Equatable {
        /// Text that is safe to emit (possibly empty).
        case text(String)
        /// A stop string was found: `before` is the text ahead of it that was not yet emitted.
        case stopped(before: String, stop: String)
    }

    private let stops: [[UInt8]]
    private var held: [UInt8] = []

    /// Creates a matcher.
    /// - Parameter stops: The stop strings; empty strings are ignored.
    init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Adds generated text.
    /// - Parameter text: The next piece of text.
    /// - Returns: Text to emit, or the stop string found with the text ahead of it.
    mutating func append(_ text: String) -> Outcome {
        guard !stops.isEmpty else { return .text(text) }
        held.append(contentsOf: text.utf8)
        if let (start, stop) = firstMatch() {
            let before = String(decoding: held[..<start], as: UTF8.self)
            held.removeAll()
            return .stopped(before: before, stop: String(decoding: stop, as: UTF8.self))
        }
        let keep = heldBackStart()
        let emitted = String(decoding: held[..<keep], as: UTF8.self)
        held.removeFirst(keep)
        return .text(emitted)
    }

    /// Ends the text: whatever was held back is emitted.
    /// - Returns: The held-back text.
    mutating func flush() -> String {
        defer { held.removeAll() }
        return String(decoding: held, as: UTF8.self)
    }

    /// The earliest position where a whole stop string occurs in the held text.
    private func firstMatch() -> (Int, [UInt8])? {
        var best: (Int, [UInt8])?
        for stop in stops where stop.count <= held.count {
            for start in 0...(held.count - stop.count) where held[start..<(start + stop.count)].elementsEqual(stop) {
                if start < (best?.0 ?? .max) { best = (start, stop) }
                break
            }
        }
        return best
    }

    /// The earliest position from which the rest of the held text is a proper prefix of some stop string.
    private func heldBackStart() -> Int {
        for start in 0..<held.count {
            let tail = held[start...]
            if stops.contains(where: { $0.count > tail.count && $0.starts(with: tail) }) { return start }
        }
        return held.count
    }
}
