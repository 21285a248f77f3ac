import ModelRegistry

/// Counts the router keeps for `/metrics`: requests and their latency per model and status class, and how
/// streamed responses ended.
final class RequestMetrics: Sendable {
    struct Key: Hashable, Sendable {
        var model: String
        var statusClass: String
    }

    struct Totals: Sendable {
        var count = 0
        var seconds = 0.0
    }

    struct State: Sendable {
        var requests: [Key: Totals] = [:]
        var streamsCompleted = 0
        var streamsCancelled = 0
        var streamsOpen = 0
        /// Requests whose handling was cancelled (its client went away) before the response was ready.
        var requestsAbandoned = 0
    }

    private let state = Locked(State())

    /// Records one answered request.
    func record(model: String, status: Int, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        state.withLock { state in
            let key = Key(model: model, statusClass: "\(status / 100)xx")
            state.requests[key, default: Totals()].count += 1
            state.requests[key, default: Totals()].seconds += seconds
        }
    }

    /// A request's handling was cancelled before its response was ready.
    func requestAbandoned() { state.withLock { $0.requestsAbandoned += 1 } }

    /// A streamed response started.
    func streamOpened() { state.withLock { $0.streamsOpen += 1 } }

    /// A streamed response ended; `cancelled` when the client dropped it before the end.
    func streamClosed(cancelled: Bool) {
        state.withLock { state in
            state.streamsOpen -= 1
            if cancelled { state.streamsCancelled += 1 } else { state.streamsCompleted += 1 }
        }
    }

    /// A stream that was opened failed before its first piece: the client got an error status instead, so it counts
    /// as no stream.
    func streamFailedToStart() { state.withLock { $0.streamsOpen -= 1 } }

    /// A copy of the counts.
    var snapshot: State { state.withLock { $0 } }
}
