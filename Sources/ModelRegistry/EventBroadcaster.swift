import Foundation

/// Fans events out to any number of `AsyncStream` subscribers, each with its own buffer.
///
/// Publishing never waits: each subscriber's stream buffers by its own policy, and an event a full buffer drops is
/// counted in ``droppedEvents``. A subscriber whose stream ends (its task cancelled, or it stopped iterating) is
/// removed. `finish()` ends every stream; later subscribers get a stream that ends at once.
final class EventBroadcaster<Event: Sendable>: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
        var nextID = 0
        var dropped = 0
        var finished = false
        var nextSequence: UInt64 = 1
    }

    private let state = Locked(State())

    /// Adds a subscriber.
    /// - Parameter bufferingPolicy: How the subscriber's buffer behaves when it reads slower than events arrive.
    /// - Returns: The subscriber's stream.
    func subscribe(bufferingPolicy: AsyncStream<Event>.Continuation.BufferingPolicy) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: bufferingPolicy)
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Numbers an event and sends it to every subscriber without waiting, under the lock that hands out the
    /// numbers: so events published from any thread (the registry actor, an engine's load progress) reach every
    /// subscriber in the order of their numbers.
    /// - Parameter make: Builds the event from its sequence number (1, 2, 3, ...).
    func publish(_ make: (UInt64) -> Event) {
        state.withLock { state in
            let event = make(state.nextSequence)
            state.nextSequence += 1
            var dropped = 0
            for subscriber in state.subscribers.values {
                if case .dropped = subscriber.yield(event) { dropped += 1 }
            }
            state.dropped += dropped
        }
    }

    /// Ends every subscriber's stream; later subscribers get a stream that has already ended.
    func finish() {
        let subscribers = state.withLock { state in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        subscribers.forEach { $0.finish() }
    }

    /// The number of live subscribers.
    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Events that subscribers' full buffers dropped, summed over subscribers.
    var droppedEvents: Int { state.withLock { $0.dropped } }
}

extension EventBroadcaster where Event == RegistryEvent {
    /// Publishes a model's event, numbered in order; safe to call from any thread.
    func publish(_ kind: RegistryEvent.Kind, name: String, id: ModelID?, configuration: ModelConfiguration) {
        publish { sequence in
            RegistryEvent(
                sequence: sequence, date: Date(), name: name, modelID: id, engine: configuration.engine,
                modelType: configuration.modelType, version: configuration.version, kind: kind)
        }
    }
}
