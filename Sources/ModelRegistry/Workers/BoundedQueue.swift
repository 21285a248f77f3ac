
/// A first-in, first-out queue of limited capacity shared by producers and consumer tasks, guarded by a lock
/// (each submission passes through it, so it avoids an actor hop per request).
///
/// `send` suspends while the queue is full (backpressure); `receive` suspends while it is empty. Every suspension
/// honours task cancellation. Continuations are resumed after the lock is released.
final class BoundedQueue<Element: Sendable>: Sendable {
    /// Why an element was not accepted.
    enum SendError: Error { case closed, full, cancelled }

    private struct State {
        var buffer: [Element] = []
        var head = 0
        var closed = false
        var receivers: [UInt64: CheckedContinuation<Element?, Never>] = [:]
        var receiverOrder: [UInt64] = []
        var senders: [UInt64: (element: Element, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var senderOrder: [UInt64] = []
        var nextID: UInt64 = 0

        var count: Int { buffer.count - head }

        mutating func popFirst() -> Element? {
            guard head < buffer.count else { return nil }
            let element = buffer[head]
            head += 1
            if head > 64, head * 2 > buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }

        mutating func takeReceiver() -> CheckedContinuation<Element?, Never>? {
            while let id = receiverOrder.first {
                receiverOrder.removeFirst()
                if let receiver = receivers.removeValue(forKey: id) { return receiver }
            }
            return nil
        }

        mutating func takeSender() -> (element: Element, continuation: CheckedContinuation<Void, any Error>)? {
            while let id = senderOrder.first {
                senderOrder.removeFirst()
                if let sender = senders.removeValue(forKey: id) { return sender }
            }
            return nil
        }
    }

    let capacity: Int
    private let state = Locked(State())

    /// Creates a queue.
    /// - Parameter capacity: Elements that may wait before `send` suspends (at least 1).
    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Elements waiting to be received.
    var count: Int { state.withLock { $0.count } }

    /// Whether ``close(discardingBuffered:)`` has run.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Adds an element, or fails at once when the queue is full or closed.
    func trySend(_ element: Element) throws(SendError) {
        let receiver: CheckedContinuation<Element?, Never>? = try state.withLock { (state) throws(SendError) in
            if state.closed { throw .closed }
            if let receiver = state.takeReceiver() { return receiver }
            if state.count >= capacity { throw .full }
            state.buffer.append(element)
            return nil
        }
        receiver?.resume(returning: element)
    }

    /// Adds an element, suspending while the queue is full.
    /// - Throws: `.closed` when the queue closes first, `.cancelled` when the task is cancelled while waiting.
    func send(_ element: Element) async throws(SendError) {
        do {
            try trySend(element)
            return
        } catch .full {
        } catch { throw error }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let (outcome, receiver) = state.withLock { state -> (Result<Void, SendError>?, CheckedContinuation<Element?, Never>?) in
                        if state.closed { return (.failure(.closed), nil) }
                        if Task.isCancelled { return (.failure(.cancelled), nil) }
                        if let receiver = state.takeReceiver() { return (.success(()), receiver) }
                        if state.count < capacity {
                            state.buffer.append(element)
                            return (.success(()), nil)
                        }
                        state.senders[id] = (element, continuation)
                        state.senderOrder.append(id)
                        return (nil, nil)
                    }
                    receiver?.resume(returning: element)
                    if let outcome { continuation.resume(with: outcome.mapError { $0 }) }
                }
            } onCancel: {
                state.withLock { $0.senders.removeValue(forKey: id) }?.continuation.resume(throwing: SendError.cancelled)
            }
        } catch let error as SendError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Takes the oldest element, suspending while the queue is empty.
    /// - Returns: The element, or `nil` once the queue is closed and empty, or the task is cancelled.
    func receive() async -> Element? {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                let (ready, element, unblocked) = state.withLock { state -> (Bool, Element?, CheckedContinuation<Void, any Error>?) in
                    if let element = state.popFirst() {
                        guard let sender = state.takeSender() else { return (true, element, nil) }
                        state.buffer.append(sender.element)
                        return (true, element, sender.continuation)
                    }
                    if state.closed || Task.isCancelled { return (true, nil, nil) }
                    state.receivers[id] = continuation
                    state.receiverOrder.append(id)
                    return (false, nil, nil)
                }
                unblocked?.resume()
                if ready { continuation.resume(returning: element) }
            }
        } onCancel: {
            state.withLock { $0.receivers.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// Closes the queue: later sends fail with `.closed`, and so do the senders waiting for room.
    /// - Parameter discardingBuffered: When `true`, the buffered elements are removed and returned (the caller
    ///   fails them); when `false`, receivers still get them before `nil`.
    /// - Returns: The discarded elements.
    @discardableResult
    func close(discardingBuffered: Bool) -> [Element] {
        let (discarded, receivers, senders) = state.withLock { state in
            state.closed = true
            var discarded: [Element] = []
            if discardingBuffered {
                while let element = state.popFirst() { discarded.append(element) }
            }
            let receivers = state.count == 0 ? Array(state.receivers.values) : []
            if state.count == 0 { state.receivers.removeAll() }
            let senders = Array(state.senders.values)
            state.senders.removeAll()
            return (discarded, receivers, senders)
        }
        receivers.forEach { $0.resume(returning: nil) }
        senders.forEach { $0.continuation.resume(throwing: SendError.closed) }
        return discarded
    }
}
