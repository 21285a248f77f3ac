/// The one "wait your turn" primitive: a cancellable first-in, first-out queue of suspended tasks, each resumed
/// with a value.
///
/// A caller first takes a ``Ticket`` with ``enqueue()`` (synchronous, so the queue order is the order of the calls
/// and an actor can enqueue atomically with its own state change), then suspends in ``wait(for:)``. A waiter
/// resumed before it suspends keeps its value until it asks, even when its task is cancelled meanwhile: what it was
/// handed (a load slot, a download slot, a worker's request) is never lost. Cancelling a task whose ticket was not
/// yet resumed removes the ticket and makes ``wait(for:)`` throw `CancellationError`. Continuations are always
/// resumed outside the lock.
///
/// Used by load slots, capacity waits, unload drains, unload waits, download slots and the worker queue.
package final class WaiterQueue<Value: Sendable>: Sendable {
    /// A place in the queue.
    package struct Ticket: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private let state = Locked(WaiterQueueState<Value>())

    /// Creates an empty queue.
    package init() {}

    /// Tickets not yet resumed.
    package var count: Int { state.withLock { $0.waitingCount } }

    /// Whether no ticket waits.
    package var isEmpty: Bool { count == 0 }

    /// Takes the next place in the queue.
    /// - Returns: The ticket to pass to ``wait(for:)`` (or to ``resume(_:with:)``).
    package func enqueue() -> Ticket { Ticket(id: state.withLock { $0.enqueue() }) }

    /// Suspends until the ticket is resumed.
    ///
    /// It runs on the caller's actor, so an actor that enqueued a ticket is waiting (and cancellable) before it
    /// runs anything else: cancelling the task from that actor then removes the ticket at once.
    /// - Parameters:
    ///   - ticket: A ticket from ``enqueue()``, waited for once.
    ///   - isolation: The caller's actor.
    /// - Returns: The value it was resumed with (also when the task was cancelled after that: check
    ///   `Task.isCancelled` and give back what the value stands for).
    /// - Throws: `CancellationError` when the task is cancelled before the ticket is resumed (the ticket is then
    ///   removed).
    package func wait(
        for ticket: Ticket, isolation: isolated (any Actor)? = #isolation
    ) async throws(CancellationError) -> Value {
        let result: Result<Value, CancellationError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, CancellationError>, Never>) in
                let ready = state.withLock { $0.suspend(ticket.id, continuation, isCancelled: Task.isCancelled) }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.cancel(ticket.id) }?.resume(returning: .failure(CancellationError()))
        }
        // Whoever resumed the continuation took it out under this lock first. Taking the lock once more makes that
        // hand-over, and everything the resumer did before it (creating the value handed over), visible to the
        // thread sanitizer, which cannot see the concurrency runtime's own atomics: a continuation resumed while
        // its task was still suspending was otherwise reported as a race on the value (seen on `WorkItem`).
        state.withLock { _ in }
        return try result.get()
    }

    /// Resumes one ticket (e.g. when its own timer fires).
    /// - Returns: Whether the ticket was still waiting.
    @discardableResult
    package func resume(_ ticket: Ticket, with value: Value) -> Bool {
        let (found, continuation) = state.withLock { $0.resume(ticket.id, with: value) }
        continuation?.resume(returning: .success(value))
        return found
    }

    /// Resumes the oldest waiting ticket.
    /// - Returns: Whether there was one.
    @discardableResult
    package func resumeFirst(with value: Value) -> Bool {
        let (found, continuation) = state.withLock { $0.resumeFirst(with: value) }
        continuation?.resume(returning: .success(value))
        return found
    }

    /// Resumes every waiting ticket, oldest first.
    package func resumeAll(with value: Value) {
        for continuation in state.withLock({ $0.resumeAll(with: value) }) { continuation.resume(returning: .success(value)) }
    }
}

/// The pure state of a ``WaiterQueue``: tickets in order, each reserved, suspended, or resumed early. Every method
/// returns the continuation the caller must resume after leaving the lock.
package struct WaiterQueueState<Value: Sendable> {
    package typealias Continuation = CheckedContinuation<Result<Value, CancellationError>, Never>

    package enum Waiter {
        /// Enqueued; its task has not suspended yet.
        case reserved
        /// Suspended in `wait(for:)`.
        case suspended(Continuation)
        /// Resumed before its task suspended.
        case resumed(Value)
    }

    package private(set) var order: [(id: UInt64, waiter: Waiter)] = []
    private var nextID: UInt64 = 0

    /// Tickets reserved or suspended (not yet resumed).
    package var waitingCount: Int { order.count { if case .resumed = $0.waiter { false } else { true } } }

    package init() {}

    package mutating func enqueue() -> UInt64 {
        defer { nextID += 1 }
        order.append((nextID, .reserved))
        return nextID
    }

    /// The ticket's task suspends: returns its result at once when it was resumed early, cancelled, or unknown.
    package mutating func suspend(_ id: UInt64, _ continuation: Continuation, isCancelled: Bool) -> Result<Value, CancellationError>? {
        guard let index = order.firstIndex(where: { $0.id == id }) else { return .failure(CancellationError()) }
        if case .resumed(let value) = order[index].waiter {
            order.remove(at: index)
            return .success(value)
        }
        if isCancelled {
            order.remove(at: index)
            return .failure(CancellationError())
        }
        order[index].waiter = .suspended(continuation)
        return nil
    }

    /// Removes a cancelled ticket; returns its continuation when it was suspended. A ticket already resumed stays,
    /// so that its waiter still gets the value: a slot handed over must not vanish with a cancellation.
    package mutating func cancel(_ id: UInt64) -> Continuation? {
        guard let index = order.firstIndex(where: { $0.id == id }) else { return nil }
        switch order[index].waiter {
        case .resumed: return nil
        case .reserved:
            order.remove(at: index)
            return nil
        case .suspended(let continuation):
            order.remove(at: index)
            return continuation
        }
    }

    package mutating func resume(_ id: UInt64, with value: Value) -> (Bool, Continuation?) {
        guard let index = order.firstIndex(where: { $0.id == id }) else { return (false, nil) }
        return resume(at: index, with: value)
    }

    package mutating func resumeFirst(with value: Value) -> (Bool, Continuation?) {
        guard let index = order.firstIndex(where: { if case .resumed = $0.waiter { false } else { true } }) else {
            return (false, nil)
        }
        return resume(at: index, with: value)
    }

    package mutating func resumeAll(with value: Value) -> [Continuation] {
        var continuations: [Continuation] = []
        var index = 0
        while index < order.count {
            let before = order.count
            if case .resumed = order[index].waiter {
                index += 1
                continue
            }
            if let continuation = resume(at: index, with: value).1 { continuations.append(continuation) }
            if order.count == before { index += 1 }
        }
        return continuations
    }

    private mutating func resume(at index: Int, with value: Value) -> (Bool, Continuation?) {
        switch order[index].waiter {
        case .resumed: return (false, nil)
        case .reserved:
            order[index].waiter = .resumed(value)
            return (true, nil)
        case .suspended(let continuation):
            order.remove(at: index)
            return (true, continuation)
        }
    }
}
