import ModelRegistry

/// Records the events a subscriber sees, so tests can wait for one and check the order.
final class EventLog: Sendable {
    private struct State {
        var events: [RegistryEvent] = []
        /// Tests waiting for an event.
        var watchers: [(predicate: @Sendable (RegistryEvent) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
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
                    defer { state.watchers.removeAll { $0.predicate(event) } }
                    return state.watchers.filter { $0.predicate(event) }.map(\.continuation)
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

    /// Waits until an event matching `predicate` has been recorded.
    func waitFor(_ predicate: @escaping @Sendable (RegistryEvent) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let seen = state.withLock { state in
                if state.events.contains(where: predicate) { return true }
                state.watchers.append((predicate, continuation))
                return false
            }
            if seen { continuation.resume() }
        }
    }

    /// Waits until `name` has an event of the short kind label (e.g. `"unloaded"`).
    func waitFor(_ name: String, _ label: String) async {
        await waitFor { $0.name == name && $0.kind.shortLabel == label }
    }

    /// Stops recording.
    func cancel() { task.withLock { $0 }?.cancel() }
}

extension RegistryEvent.Kind {
    /// The kind's name without details.
    var shortLabel: String { String(label.prefix { $0 != " " && $0 != ":" }) }
}
