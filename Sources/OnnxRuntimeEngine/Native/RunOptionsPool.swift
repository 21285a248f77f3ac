internal import ModelRegistry

/// Run options kept for reuse: each run takes one (so cancelling it terminates that run alone) and gives it back
/// unless it was terminated, which saves `CreateRunOptions`/`ReleaseRunOptions` on every call.
final class RunOptionsPool: Sendable {
    private let api: ORTAPI
    private let idle = Locked<[ORTRunOptions]>([])
    /// More idle options than this are released: one per run in flight at once is all that is ever needed.
    private static let capacity = 16

    /// An empty pool.
    init(api: ORTAPI) { self.api = api }

    /// Idle options, or new ones (`CreateRunOptions`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func take() throws(OnnxRuntimeStatus) -> ORTRunOptions {
        if let options = idle.withLock({ $0.popLast() }) { return options }
        return try ORTRunOptions(api: api)
    }

    /// Returns options after a run; terminated ones are released instead.
    func give(back options: ORTRunOptions) {
        guard !options.isTerminated else { return }
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < Self.capacity else { return false }
            idle.append(options)
            return true
        }
        if !kept { withExtendedLifetime(options) {} }
    }
}
