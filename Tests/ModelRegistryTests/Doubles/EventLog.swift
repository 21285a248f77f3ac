import ModelRegistry

/// Records the events a subscriber sees, so tests can wait for one and check the order.
final class EventLog: Sendable {
    private let events = Locked<[RegistryEvent]>([])
    private let task: Locked<Task<Void, Never>?> = Locked(nil)

    /// Subscribes to the registry's events and records them.
    init(_ registry: ModelRegistry, bufferingPolicy: AsyncStream<RegistryEvent>.Continuation.BufferingPolicy = .unbounded) {
        let stream = registry.events(bufferingPolicy: bufferingPolicy)
        let consumer = Task { [self] in
            for await event in stream { events.withLock { $0.append(event) } }
        }
        task.withLock { $0 = consumer }
    }

    /// Everything recorded so far.
    var all: [RegistryEvent] { events.withLock { $0 } }

    /// `"name kind"` strings, without details, for order checks.
    func labels(for name: String? = nil) -> [String] {
        all.filter { name == nil || $0.name == name }.map { "\($0.name) \($0.kind.shortLabel)" }
    }

    /// Waits until an event matching `predicate` has been recorded.
    func waitFor(_ predicate: (RegistryEvent) -> Bool) async {
        while !all.contains(where: predicate) { await Task.yield() }
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
