/// Where one `run` executes. Handing a run to the native queue and resuming the caller afterwards costs two thread
/// wake-ups and a `Run` on a thread whose cache lacks the model (30–80 µs on a virtual machine): more than a small
/// model's whole `Run`, and 15% of a half-millisecond one. Runs expected to take at most the budget (1 ms by
/// default) execute on the calling thread instead. Holding a thread of the cooperative pool that long gets no other
/// task the processor later than the hop would: with more runnable threads than cores the kernel hands out the
/// processor in slices of about a millisecond anyway. Longer runs go to the native queue, where cancellation can
/// stop them mid-run (`RunOptionsSetTerminate`).
///
/// A loop of inline runs never suspends, though, so it would keep its thread from every other task for as long as
/// the loop lasts (with two cores, two such loops stall the whole process). Once a model's inline runs are expected
/// to have held threads for ``RunCostEstimate/yieldInterval`` since the last yield, the next one yields first.
enum RunPlacement: Sendable, Equatable {
    /// On the calling thread.
    case inline
    /// On the calling thread, after the task gave up its thread once (`Task.yield()`), so that work queued
    /// behind it runs.
    case inlineAfterYield
    /// On the native dispatch queue, the caller suspended meanwhile.
    case nativeQueue
}

/// What a model's recent runs cost per input element, and the placement that follows for the next one.
///
/// Until ``warmUpRuns`` runs are measured every run goes to the native queue. Afterwards a run goes inline when its
/// expected duration (the recent cost per input element times this run's element count, so a larger batch is
/// expected to take longer) is within the budget. A zero budget keeps every run on the native queue.
///
/// The recent cost is the *fastest* of the last ``window`` timed runs (inline runs are timed one in
/// ``inlineTimingInterval``). On a busy machine a run's wall time often includes
/// a time slice of another process (milliseconds, for a run of microseconds); an average would let those spikes
/// send the next runs through the hop for nothing, which doubles their latency. The fastest recent run is what the
/// model costs when it gets the processor; a model that really became slower moves to the native queue once a
/// whole window of its timed runs was slow.
struct RunCostEstimate: Sendable, Equatable {
    /// Runs measured before any run may go inline.
    static let warmUpRuns = 3
    /// How many recent timed runs the estimate looks at.
    static let window = 8
    /// How long the model's inline runs are expected to hold threads, in total, before one of them yields first.
    /// A yield costs about as much as one small run; at 1 ms it is a fraction of a percent of the runs' time.
    static let yieldInterval: Duration = .milliseconds(1)
    /// ``yieldInterval`` in nanoseconds, converted once rather than on every run.
    private static let yieldIntervalNanoseconds = nanoseconds(yieldInterval)

    /// Once the estimate is warm, one inline run in this many is timed (the first of each group): reading the
    /// clock twice and taking the estimate's lock again costs a few percent of a small model's run, and the fastest
    /// of recent runs is as well known from every eighth run as from every run.
    static let inlineTimingInterval = 8

    /// The longest expected duration that still runs inline.
    let inlineBudget: Duration
    /// The recent cost, in nanoseconds per input element; `nil` before the first measurement.
    var nanosecondsPerElement: Double? { recent.min() }
    /// The last ``window`` measurements, oldest overwritten first.
    private var recent: [Double] = []
    /// How many runs were measured.
    private(set) var measuredRuns = 0
    /// How many runs went inline.
    private(set) var inlineRuns = 0

    /// ``inlineBudget`` in nanoseconds.
    private let inlineBudgetNanoseconds: Double
    /// The expected time of the inline runs since the last ``RunPlacement/inlineAfterYield``, in nanoseconds.
    private var inlineSinceYieldNanoseconds: Double = 0

    /// Starts with no measurement.
    /// - Parameter inlineBudget: The longest expected duration that still runs inline; `.zero` disables inline runs.
    init(inlineBudget: Duration) {
        self.inlineBudget = inlineBudget
        inlineBudgetNanoseconds = Self.nanoseconds(inlineBudget)
    }

    /// A duration in nanoseconds, from its components (dividing two `Duration`s takes 128-bit arithmetic, which
    /// costs more than the rest of a small run's bookkeeping).
    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    /// The placement for a run with `elements` input elements, counted as an inline run when it is one.
    mutating func placement(elements: Int) -> RunPlacement {
        guard inlineBudgetNanoseconds > 0, measuredRuns >= Self.warmUpRuns, let perElement = nanosecondsPerElement
        else { return .nativeQueue }
        let expected = perElement * Double(max(1, elements))
        guard expected <= inlineBudgetNanoseconds else { return .nativeQueue }
        inlineRuns += 1
        inlineSinceYieldNanoseconds += expected
        guard inlineSinceYieldNanoseconds >= Self.yieldIntervalNanoseconds else { return .inline }
        inlineSinceYieldNanoseconds = 0
        return .inlineAfterYield
    }

    /// Whether the run just placed by ``placement(elements:)`` is to be timed and given to ``record(_:elements:)``:
    /// every run during warm-up and on the native queue, one inline run in ``inlineTimingInterval``.
    func times(_ placement: RunPlacement) -> Bool {
        placement == .nativeQueue || inlineRuns % Self.inlineTimingInterval == 1
    }

    /// Adds a successful run's duration (the native work only, without any hop).
    mutating func record(_ duration: Duration, elements: Int) {
        let sample = Self.nanoseconds(duration) / Double(max(1, elements))
        if recent.count < Self.window {
            recent.append(sample)
        } else {
            recent[measuredRuns % Self.window] = sample
        }
        measuredRuns += 1
    }
}
