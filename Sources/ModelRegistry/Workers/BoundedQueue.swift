/// A first-in, first-out queue of limited capacity shared by producers and consumer tasks, guarded by a lock
/// (each submission passes through it, so it avoids an actor hop per request).
///
/// `send` suspends while the queue is full (backpressure); `receive` suspends while it is empty. Both wait on the
/// registry's one waiter primitive (``WaiterQueue``), so every suspension honours task cancellation. Waiters are
/// resumed while the buffer's lock is held (resuming only schedules the task), so a hand-over and the buffer change
/// are one step; the buffer's lock is always taken before a waiter queue's, never the other way round.
final class BoundedQueue<Element: Sendable>: Sendable {
    /// Why an element was not accepted.
    enum SendError: Error { case closed, full, cancelled }

    private struct State {
        var buffer: [Element] = []
        var head = 0
        var closed = false
        /// Senders waiting for room, with their elements, in order.
        var pending: [(ticket: WaiterQueue<Result<Void, SendError>>.Ticket, element: Element)] = []

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
    }

    let capacity: Int
    private let state = Locked(State())
    private let receivers = WaiterQueue<Element?>()
    private let senders = WaiterQueue<Result<Void, SendError>>()

    /// Creates a queue.
    /// - Parameter capacity: Elements that may wait before `send` suspends (at least 1).
    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Elements waiting to be received.
    var count: Int { state.withLock { $0.count } }

    /// Whether ``close(discardingBuffered:)`` has run.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Adds an element, or fails at once when the queue is full or closed.
    func trySend(_ element: Element) throws(SendError) {
        try state.withLock { (state) throws(SendError) in
            if state.closed { throw .closed }
            if receivers.resumeFirst(with: element) { return }
            if state.count >= capacity { throw .full }
            state.buffer.append(element)
        }
    }

    /// Adds an element, suspending while the queue is full.
    /// - Throws: `.closed` when the queue closes first, `.cancelled` when the task is cancelled while waiting.
    func send(_ element: Element) async throws(SendError) {
        let ticket = try state.withLock { (state) throws(SendError) -> WaiterQueue<Result<Void, SendError>>.Ticket? in
            if state.closed { throw .closed }
            if receivers.resumeFirst(with: element) { return nil }
            if state.count < capacity {
                state.buffer.append(element)
                return nil
            }
            let ticket = senders.enqueue()
            state.pending.append((ticket, element))
            return ticket
        }
        guard let ticket else { return }
        do {
            try await senders.wait(for: ticket).get()
        } catch let error as SendError {
            throw error
        } catch {
            state.withLock { $0.pending.removeAll { $0.ticket == ticket } }
            throw .cancelled
        }
    }

    /// Takes the oldest element, suspending while the queue is empty.
    /// - Returns: The element, or `nil` once the queue is closed and empty, or the task is cancelled.
    func receive() async -> Element? {
        let ticket: WaiterQueue<Element?>.Ticket
        switch state.withLock({ state -> Result<Element?, Never>? in
            if let element = state.popFirst() {
                admitPendingSender(&state)
                return .success(element)
            }
            return state.closed ? .success(nil) : nil
        }) {
        case .success(let element): return element
        case nil: ticket = enqueueReceiver()
        }
        return (try? await receivers.wait(for: ticket)) ?? nil
    }

    /// Enqueues a receiver, unless an element or the close arrived since the caller looked.
    private func enqueueReceiver() -> WaiterQueue<Element?>.Ticket {
        state.withLock { state in
            let ticket = receivers.enqueue()
            if let element = state.popFirst() {
                admitPendingSender(&state)
                receivers.resume(ticket, with: element)
            } else if state.closed {
                receivers.resume(ticket, with: nil)
            }
            return ticket
        }
    }

    /// Moves the oldest waiting sender's element into the room just made.
    private func admitPendingSender(_ state: inout State) {
        while !state.pending.isEmpty {
            let (ticket, element) = state.pending.removeFirst()
            if senders.resume(ticket, with: .success(())) {
                state.buffer.append(element)
                return
            }
        }
    }

    /// Closes the queue: later sends fail with `.closed`, and so do the senders waiting for room.
    /// - Parameter discardingBuffered: When `true`, the buffered elements are removed and returned (the caller
    ///   fails them); when `false`, receivers still get them before `nil`.
    /// - Returns: The discarded elements.
    @discardableResult
    func close(discardingBuffered: Bool) -> [Element] {
        state.withLock { state in
            state.closed = true
            var discarded: [Element] = []
            if discardingBuffered {
                while let element = state.popFirst() { discarded.append(element) }
            }
            if state.count == 0 { receivers.resumeAll(with: nil) }
            for (ticket, _) in state.pending { senders.resume(ticket, with: .failure(.closed)) }
            state.pending.removeAll()
            return discarded
        }
    }
}
