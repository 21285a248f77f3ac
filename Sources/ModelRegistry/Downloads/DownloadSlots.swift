/// A counting limit on running downloads that hands free slots out in the order they were reserved, on the
/// registry's one waiter primitive (``WaiterQueue``).
///
/// ``reserve()`` is synchronous, so the order of reservations is the order of the calls (the manager reserves inside
/// its actor); ``wait(for:)`` then suspends until that reservation's turn. Cancelling a waiting task gives up its
/// reservation.
final class DownloadSlots: Sendable {
    /// A place in the queue.
    typealias Ticket = WaiterQueue<Void>.Ticket

    private let limit: Int
    /// Free slots; slots are handed to the queue under this lock (always taken before the queue's own).
    private let free: Locked<Int>
    private let queue = WaiterQueue<Void>()

    /// Creates the limit.
    /// - Parameter limit: How many slots exist (at least 1).
    init(limit: Int) {
        precondition(limit >= 1, "maxConcurrentDownloads must be at least 1")
        self.limit = limit
        free = Locked(limit)
    }

    /// Downloads holding a slot.
    var running: Int { limit - free.withLock { $0 } }
    /// Reservations still waiting for a slot.
    var waiting: Int { queue.count }

    /// Takes the next place in the queue; a free slot goes to it at once when nobody is ahead.
    /// - Returns: The ticket to pass to ``wait(for:)``.
    func reserve() -> Ticket {
        let ticket = queue.enqueue()
        handOut()
        return ticket
    }

    /// Suspends until the ticket's slot is free.
    /// - Parameter ticket: A ticket from ``reserve()``, used once.
    /// - Returns: `true` with the slot held (call ``release()`` later); `false` when the task was cancelled first,
    ///   without a slot.
    func wait(for ticket: Ticket) async -> Bool {
        (try? await queue.wait(for: ticket)) != nil
    }

    /// Gives a slot back; the longest-waiting reservation gets it.
    func release() {
        free.withLock { $0 += 1 }
        handOut()
    }

    /// Gives free slots to the reservations at the front of the queue.
    private func handOut() {
        free.withLock { free in
            while free > 0, queue.resumeFirst(with: ()) { free -= 1 }
        }
    }
}
