/// A change to one model's workers, published to every subscriber of ``WorkerRegistry/events(bufferingPolicy:)``.
///
/// The registry's events say what happened to a model; these say what the worker registry did about it, once it
/// has done it: a dashboard, a metrics exporter or a test can await the workers themselves instead of polling
/// ``WorkerRegistry/status(of:)``.
///
/// Order: the workers of one load announce `.started` before `.stopped`, and an aborted unload's new workers (for
/// the same load) start after the closed ones' `.stopped`. Workers of different loads of a model can overlap: when
/// the model loads again right after it unloaded, the new load's workers start (and announce it) before the load
/// returns, while the old load's workers may still be finishing the requests they run; the old load's `.stopped`
/// then follows the new load's `.started`. Tell them apart by ``modelID``.
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
    /// The load the workers serve: the ``RegistryEvent/modelID`` of the `loaded` event that started them (a
    /// side-by-side version swap keeps the workers, and this id).
    public let modelID: ModelID
    /// What happened.
    public let kind: Kind

    /// `#3 iris: workers started (2, load 1a2b3c4d)`, `#4 iris: workers stopped (load 1a2b3c4d)`.
    public var description: String {
        switch kind {
        case .started(let workers): "#\(sequence) \(name): workers started (\(workers), load \(modelID))"
        case .stopped: "#\(sequence) \(name): workers stopped (load \(modelID))"
        }
    }
}

extension EventBroadcaster where Event == WorkerPoolEvent {
    /// Publishes a change to a pool's workers, numbered in order; safe to call from any thread.
    func publish(_ kind: WorkerPoolEvent.Kind, of pool: WorkerPool) {
        publish { WorkerPoolEvent(sequence: $0, name: pool.name, modelID: pool.modelID, kind: kind) }
    }
}
