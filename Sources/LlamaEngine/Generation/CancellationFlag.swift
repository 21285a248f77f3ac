import Synchronization

/// A one-way flag a generation polls before each decode; set from any thread (a stream's `onTermination`, a task
/// cancellation handler).
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Whether the flag is set.
    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Sets the flag.
    func set() { value.store(true, ordering: .releasing) }
}
