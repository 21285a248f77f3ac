import ModelRegistry
import Testing

/// The one waiter primitive: order, early resumption, targeted resumption and cancellation.
@Suite(.timeLimit(.minutes(1))) struct WaiterQueueTests {
    @Test func waiters_areResumedInTheOrderTheyEnqueued() async throws {
        let queue = WaiterQueue<Int>()
        let tickets = (0..<3).map { _ in queue.enqueue() }
        let waiters = tickets.map { ticket in
            Task { try await queue.wait(for: ticket) }
        }
        for value in 1...3 { #expect(queue.resumeFirst(with: value)) }
        #expect(try await waiters.asyncMap { try await $0.value } == [1, 2, 3])
        #expect(!queue.resumeFirst(with: 4))
        #expect(queue.isEmpty)
    }

    @Test func ticketResumedBeforeItsTaskWaits_keepsTheValue() async throws {
        let queue = WaiterQueue<String>()
        let ticket = queue.enqueue()
        #expect(queue.count == 1)
        #expect(queue.resume(ticket, with: "early"))
        #expect(queue.count == 0)
        #expect(try await queue.wait(for: ticket) == "early")
        #expect(!queue.resume(ticket, with: "again"))
    }

    @Test func resumeAll_resumesEveryWaitingTicket_once() async throws {
        let queue = WaiterQueue<Bool>()
        let first = queue.enqueue()
        let second = queue.enqueue()
        #expect(queue.resume(first, with: false))
        queue.resumeAll(with: true)
        #expect(try await queue.wait(for: first) == false)
        #expect(try await queue.wait(for: second) == true)
    }

    @Test func cancelledWaiter_throwsCancellation_andLeavesTheQueue() async throws {
        let queue = WaiterQueue<Int>()
        let ticket = queue.enqueue()
        let waiter = Task { try await queue.wait(for: ticket) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(queue.isEmpty)
        #expect(!queue.resumeFirst(with: 1))
    }

    @Test func stateMachine_suspendAfterResume_returnsTheValue_withoutStoringTheContinuation() {
        var state = WaiterQueueState<Int>()
        let a = state.enqueue()
        let b = state.enqueue()
        #expect(state.waitingCount == 2)
        #expect(state.resumeFirst(with: 5).0)
        #expect(state.waitingCount == 1)
        #expect(state.resume(b, with: 6).0)
        #expect(state.waitingCount == 0)
        #expect(state.cancel(a) == nil)
        #expect(state.order.map { $0.id } == [a, b], "a resumed ticket keeps its value through a cancellation")
    }

    @Test func ticketResumedBeforeItsTaskWaits_keepsTheValue_evenWhenThatTaskIsCancelled() async throws {
        let queue = WaiterQueue<Int>()
        let ticket = queue.enqueue()
        #expect(queue.resumeFirst(with: 7))  // say, a load slot handed over
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }  // cancelled before it waits: the handler runs first
            return try await queue.wait(for: ticket)
        }
        #expect(try await waiter.value == 7)
        #expect(!queue.resumeFirst(with: 8))
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
