/// Where one `run` executes. Handing a run to the native queue and resuming the caller afterwards costs two thread
/// wake-ups (tens of microseconds on a virtual machine), more than a small model's whole `Run`; such runs execute
/// on the calling thread instead, which holds a thread of the cooperative pool only for about as long as the hop
/// would have.
enum RunPlacement: Sendable, Equatable {
    /// On the calling thread.
    case inline
    /// On the native dispatch queue, the caller suspended meanwhile.
    case nativeQueue
}

/// What a model's runs have cost so far, per input element, and the placement that follows for the next one.
///
/// Until ``warmUpRuns`` runs are measured every run goes to the native queue. Afterwards a run goes inline when its
/// expected duration (the running average cost per input element times this run's element count, so a larger batch
/// is expected to take longer) is within the budget. A zero budget keeps every run on the native queue.
struct RunCostEstimate: Sendable, Equatable {
    /// Runs measured before any run may go inline.
    static let warmUpRuns = 3
    /// The weight of the newest measurement in the running average.
    static let smoothing = 0.2

    /// The longest expected duration that still runs inline.
    let inlineBudget: Duration
    /// The running average, in nanoseconds per input element; `nil` before the first measurement.
    private(set) var nanosecondsPerElement: Double?
    /// How many runs were measured.
    private(set) var measuredRuns = 0
    /// How many runs went inline.
    private(set) var inlineRuns = 0

    /// Starts with no measurement.
    /// - Parameter inlineBudget: The longest expected duration that still runs inline; `.zero` disables inline runs.
    init(inlineBudget: Duration) { self.inlineBudget = inlineBudget }

    /// The placement for a run with `elements` input elements, counted as an inline run when it is one.
    mutating func placement(elements: Int) -> RunPlacement {
        guard inlineBudget > .zero, measuredRuns >= Self.warmUpRuns, let perElement = nanosecondsPerElement,
            perElement * Double(max(1, elements)) <= inlineBudget / .nanoseconds(1)
        else { return .nativeQueue }
        inlineRuns += 1
        return .inline
    }

    /// Adds a successful run's duration (the native work only, without any hop) to the running average.
    mutating func record(_ duration: Duration, elements: Int) {
        let sample = duration / .nanoseconds(1) / Double(max(1, elements))
        nanosecondsPerElement = nanosecondsPerElement.map { $0 + Self.smoothing * (sample - $0) } ?? sample
        measuredRuns += 1
    }
}
