import ModelRegistry

/// Records the events a subscriber sees, so tests can wait for one and check the order.
final class EventLog: Sendable {
    private typealias Watcher = (
        predicate: @Sendable (RegistryEvent) -> Bool, continuation: CheckedContinuation<Void, Never>
    )

    private struct State {
        var events: [RegistryEvent] = []
        /// Tests waiting for an event, by id.
        var watchers: [UInt64: Watcher] = [:]
        var nextWatcher: UInt64 = 0
    }

    private let state = Locked(State())
    private let task: Locked<Task<Void, Never>?> = Locked(nil)

    /// Subscribes to the registry's events and records them.
    init(_ registry: ModelRegistry, bufferingPolicy: AsyncStream<RegistryEvent>.Continuation.BufferingPolicy = .unbounded) {
        let stream = registry.events(bufferingPolicy: bufferingPolicy)
        let consumer = Task { [self] in
            for await event in stream {
                let satisfied = state.withLock { state in
                    state.events.append(event)
                    let due = state.watchers.filter { $0.value.predicate(event) }
                    for id in due.keys { state.watchers[id] = nil }
                    return due.values.map(\.continuation)
                }
                satisfied.forEach { $0.resume() }
            }
        }
        task.withLock { $0 = consumer }
    }

    /// Everything recorded so far.
    var all: [RegistryEvent] { state.withLock { $0.events } }

    /// `"name kind"` strings, without details, for order checks.
    func labels(for name: String? = nil) -> [String] {
        all.filter { name == nil || $0.name == name }.map { "\($0.name) \($0.kind.shortLabel)" }
    }

    /// Waits until an event matching `predicate` has been recorded, or the task is cancelled (a test's time limit),
    /// so an event that never comes fails the test instead of hanging the run.
    func waitFor(_ predicate: @escaping @Sendable (RegistryEvent) -> Bool) async {
        let id = state.withLock { state in
            defer { state.nextWatcher += 1 }
            return state.nextWatcher
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let seen = state.withLock { state in
                    if Task.isCancelled || state.events.contains(where: predicate) { return true }
                    state.watchers[id] = (predicate, continuation)
                    return false
                }
                if seen { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.watchers.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// Waits until `name` has an event of the short kind label (e.g. `"unloaded"`).
    func waitFor(_ name: String, _ label: String) async {
        await waitFor { $0.name == name && $0.kind.shortLabel == label }
    }

    /// Stops recording.
    func cancel() { task.withLock { $0 }?.cancel() }

    /// Stops recording and returns once the subscription has ended: the stream calls its termination handler (which
    /// unsubscribes) before it ends the iteration that the recording task waits on.
    func stop() async {
        let consumer = task.withLock { $0 }
        consumer?.cancel()
        await consumer?.value
    }
}

extension RegistryEvent.Kind {
    /// The kind's name without details.
    var shortLabel: String { String(label.prefix { $0 != " " && $0 != ":" }) }
}
