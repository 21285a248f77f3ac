/// Any `Clock<Duration>` seen as time elapsed since the registry started, so instants of an injected clock can be
/// stored and compared without knowing its type.
struct RegistryClock: Sendable {
    private let elapsedNow: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    init(_ clock: some Clock<Duration>) {
        sleeper = { try await clock.sleep(for: $0) }
        if let continuous = clock as? ContinuousClock {
            // The usual clock, read on the lease fast path of a model with an idle keep-alive: concretely, without
            // the generic clock's witness calls.
            let start = continuous.now
            elapsedNow = { start.duration(to: ContinuousClock.now) }
        } else {
            let start = clock.now
            elapsedNow = { start.duration(to: clock.now) }
        }
    }

    /// Time since the registry started, on the injected clock.
    var now: Duration { elapsedNow() }

    /// Sleeps on the injected clock.
    /// - Throws: `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws { try await sleeper(duration) }
}
