/// Publishes one load's progress as ``RegistryEvent/Kind/loadProgress(_:)``, from any thread (an engine's
/// progress callback runs on its loading thread), skipping reports that move less than a percent. Once the load is
/// settled (``close()``), an engine that goes on loading (a load that timed out or was cancelled) publishes nothing.
final class LoadProgressReporter: Sendable {
    private let broadcaster: EventBroadcaster<RegistryEvent>
    private let name: String
    private let id: ModelID
    private let configuration: ModelConfiguration
    /// The last published (phase, percent), to skip repeats; `closed` once the load is settled.
    private let state = Locked<(last: (LoadProgress.Phase, Int)?, closed: Bool)>((nil, false))

    init(broadcaster: EventBroadcaster<RegistryEvent>, name: String, id: ModelID, configuration: ModelConfiguration) {
        self.broadcaster = broadcaster
        self.name = name
        self.id = id
        self.configuration = configuration
    }

    /// Publishes `progress` unless the load is settled, or it is the same phase and whole percent as the last one
    /// published. Publishes under the lock, so nothing is published once ``close()`` has returned.
    func report(_ progress: LoadProgress) {
        let percent = progress.fraction.map { Int(($0 * 100).rounded(.down)) } ?? -1
        state.withLock { state in
            guard !state.closed else { return }
            if let last = state.last, last.0 == progress.phase, last.1 == percent, progress.bytes == nil { return }
            state.last = (progress.phase, percent)
            broadcaster.publish(.loadProgress(progress), name: name, id: id, configuration: configuration)
        }
    }

    /// Ends the reports: the load is settled (loaded, failed, timed out or cancelled), and what its engine reports
    /// from now on is not published.
    func close() { state.withLock { $0.closed = true } }

    /// The engine's fraction of the `loading` phase.
    func reportLoading(_ fraction: Double) { report(LoadProgress(phase: .loading, fraction: min(max(fraction, 0), 1))) }
}
