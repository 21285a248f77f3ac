/// Publishes one load's progress as ``RegistryEvent/Kind/loadProgress(_:)``, from any thread (an engine's
/// progress callback runs on its loading thread), skipping reports that move less than a percent.
final class LoadProgressReporter: Sendable {
    private let broadcaster: EventBroadcaster<RegistryEvent>
    private let name: String
    private let id: ModelID
    private let configuration: ModelConfiguration
    /// The last published (phase, percent), to skip repeats.
    private let last = Locked<(LoadProgress.Phase, Int)?>(nil)

    init(broadcaster: EventBroadcaster<RegistryEvent>, name: String, id: ModelID, configuration: ModelConfiguration) {
        self.broadcaster = broadcaster
        self.name = name
        self.id = id
        self.configuration = configuration
    }

    /// Publishes `progress` unless it is the same phase and whole percent as the last one published.
    func report(_ progress: LoadProgress) {
        let percent = progress.fraction.map { Int(($0 * 100).rounded(.down)) } ?? -1
        let isNew = last.withLock { last in
            if let last, last.0 == progress.phase, last.1 == percent, progress.bytes == nil { return false }
            last = (progress.phase, percent)
            return true
        }
        if isNew { broadcaster.publish(.loadProgress(progress), name: name, id: id, configuration: configuration) }
    }

    /// The engine's fraction of the `loading` phase.
    func reportLoading(_ fraction: Double) { report(LoadProgress(phase: .loading, fraction: min(max(fraction, 0), 1))) }
}
