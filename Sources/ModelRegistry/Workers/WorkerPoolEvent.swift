/// A change to one model's workers, published to every subscriber of ``WorkerRegistry/events(bufferingPolicy:)``.
///
/// The registry's events say what happened to a model; these say what the worker registry did about it, once it
/// has done it: a dashboard, a metrics exporter or a test can await the workers themselves instead of polling
/// ``WorkerRegistry/status(of:)``.
public struct WorkerPoolEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened to the model's workers.
    public enum Kind: Sendable, Hashable {
        /// The model's workers started (its load completed, or an aborted unload left it loaded); they take requests.
        case started(workers: Int)
        /// The model's workers ended (it unloaded, failed, was unregistered, or the worker registry stopped); every
        /// request they ran has finished and every queued one has failed.
        case stopped
    }

    /// Numbers events in the order they were published, from 1.
    public let sequence: UInt64
    /// The model's public name.
    public let name: String
    /// What happened.
    public let kind: Kind

    /// `#3 iris: workers started (2)`, `#4 iris: workers stopped`.
    public var description: String {
        switch kind {
        case .started(let workers): "#\(sequence) \(name): workers started (\(workers))"
        case .stopped: "#\(sequence) \(name): workers stopped"
        }
    }
}

extension EventBroadcaster where Event == WorkerPoolEvent {
    /// Publishes a change to a model's workers, numbered in order; safe to call from any thread.
    func publish(_ kind: WorkerPoolEvent.Kind, name: String) {
        publish { WorkerPoolEvent(sequence: $0, name: name, kind: kind) }
    }
}
