/// A counting limit on running downloads that hands free slots out in the order they were reserved.
///
/// ``reserve()`` is synchronous, so the order of reservations is the order of the calls (the manager reserves inside
/// its actor); ``wait(for:)`` then suspends until that reservation's turn. Cancelling a waiting task gives up its
/// reservation.
final class DownloadSlots: Sendable {
    /// A place in the queue.
    struct Ticket: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private enum Waiter {
        /// Reserved, nobody suspended yet.
        case reserved
        /// Suspended in ``wait(for:)``.
        case waiting(CheckedContinuation<Bool, Never>)
        /// Given a slot before its owner started waiting.
        case granted
    }

    private struct State {
        let limit: Int
        var free: Int
        var queue: [(id: UInt64, waiter: Waiter)] = []
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    /// Creates the limit.
    /// - Parameter limit: How many slots exist (at least 1).
    init(limit: Int) {
        precondition(limit >= 1, "maxConcurrentDownloads must be at least 1")
        state = Locked(State(limit: limit, free: limit))
    }

    /// Downloads holding a slot.
    var running: Int { state.withLock { $0.limit - $0.free } }
    /// Reservations still waiting for a slot.
    var waiting: Int { state.withLock { $0.queue.filter { if case .granted = $0.waiter { false } else { true } }.count } }

    /// Takes the next place in the queue; a free slot goes to it at once when nobody is ahead.
    /// - Returns: The ticket to pass to ``wait(for:)``.
    func reserve() -> Ticket {
        let ticket = state.withLock { state in
            defer { state.nextID += 1 }
            state.queue.append((state.nextID, .reserved))
            return Ticket(id: state.nextID)
        }
        handOut()
        return ticket
    }

    /// Suspends until the ticket's slot is free.
    /// - Parameter ticket: A ticket from ``reserve()``, used once.
    /// - Returns: `true` with the slot held (call ``release()`` later); `false` when the task was cancelled first,
    ///   without a slot.
    func wait(for ticket: Ticket) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let granted: Bool? = state.withLock { state in
                    guard let index = state.queue.firstIndex(where: { $0.id == ticket.id }) else { return false }
                    if case .granted = state.queue[index].waiter {
                        state.queue.remove(at: index)
                        return true
                    }
                    state.queue[index].waiter = .waiting(continuation)
                    return nil
                }
                if let granted { continuation.resume(returning: granted) }
            }
        } onCancel: {
            let (continuation, heldSlot) = state.withLock { state -> (CheckedContinuation<Bool, Never>?, Bool) in
                guard let index = state.queue.firstIndex(where: { $0.id == ticket.id }) else { return (nil, false) }
                let waiter = state.queue.remove(at: index).waiter
                switch waiter {
                case .reserved: return (nil, false)
                case .waiting(let continuation): return (continuation, false)
                case .granted: return (nil, true)
                }
            }
            continuation?.resume(returning: false)
            if heldSlot { release() }
        }
    }

    /// Gives a slot back; the longest-waiting reservation gets it.
    func release() {
        state.withLock { $0.free += 1 }
        handOut()
    }

    /// Gives free slots to the reservations at the front of the queue.
    private func handOut() {
        let woken = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            var woken: [CheckedContinuation<Bool, Never>] = []
            var index = 0
            while state.free > 0, index < state.queue.count {
                switch state.queue[index].waiter {
                case .granted:
                    index += 1
                case .reserved:
                    state.queue[index].waiter = .granted
                    state.free -= 1
                    index += 1
                case .waiting(let continuation):
                    state.queue.remove(at: index)
                    state.free -= 1
                    woken.append(continuation)
                }
            }
            return woken
        }
        woken.forEach { $0.resume(returning: true) }
    }
}
