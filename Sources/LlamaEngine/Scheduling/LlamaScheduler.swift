import Dispatch
import ModelRegistry

/// Continuous batching for one loaded `llm`: every request gets a sequence of the one context, and one loop on the
/// engine's queue decodes them all together.
///
/// Each loop step (see `LlamaScheduler+Step.swift`) builds one ``LlamaBatch`` holding the next token of every
/// generating sequence plus bounded chunks of new prompts, calls `llama_decode` once, samples each sequence with its
/// own sampler chain and yields each piece to its own stream. A step is one block on the engine's serial queue that
/// enqueues the next, so tokenization and other queue work run between steps.
///
/// Requests beyond `parallel` wait in FIFO order, at most `queueCapacity` of them; past that, ``submit(_:)`` fails
/// at once with ``LlamaError/queueFull(model:running:queued:capacity:)``. ``close()`` ends every request with
/// ``StopReason/cancelled`` and returns when the loop has stopped.
///
/// `@unchecked Sendable`: the inbox is behind a lock; everything else (slots, batch, context) is touched only by
/// the loop's blocks on the serial queue.
final class LlamaScheduler: @unchecked Sendable {
    /// What callers and the loop share, behind the lock.
    private struct Inbox: Sendable {
        var waiting: [GenerationRequest] = []
        /// Requests holding a slot.
        var running = 0
        /// Whether a loop step is enqueued or running.
        var loopActive = false
        var closed = false
        /// ``close()`` calls waiting for the loop to stop.
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        /// ``waitUntilIdle()`` calls waiting for the loop to run out of requests, by key.
        var idleWaiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextIdleWaiter: UInt64 = 0

        /// Marks the loop stopped; returns the idle waiters to resume, outside the lock.
        mutating func loopStopped() -> [CheckedContinuation<Void, any Error>] {
            loopActive = false
            defer { idleWaiters = [:] }
            return Array(idleWaiters.values)
        }
    }

    let info: LlamaModelInfo
    let context: LlamaContext
    let queue: DispatchQueue
    let queueCapacity: Int
    /// The number of sequence slots (readable from any thread, unlike ``slots``).
    let parallel: Int
    private let inbox = Locked(Inbox())
    /// Set by ``close()``; the decode's abort callback reads it from ggml's threads.
    let closing = CancellationFlag()

    // Loop only.
    var slots: [SequenceSlot]
    let batch: LlamaBatch
    var useCounter: UInt64 = 0

    init(info: LlamaModelInfo, context: LlamaContext, queue: DispatchQueue, queueCapacity: Int) {
        self.info = info
        self.context = context
        self.queue = queue
        self.queueCapacity = queueCapacity
        parallel = context.sequenceCount
        slots = (0..<parallel).map { SequenceSlot(id: $0) }
        batch = LlamaBatch(capacity: context.batchSize)
    }

    /// Queues a request and makes sure the loop runs.
    /// - Throws: ``LlamaError/queueFull(model:running:queued:capacity:)`` when every slot is busy and the wait
    ///   queue is full; ``LlamaError/notLoaded(model:)`` after ``close()``.
    func submit(_ request: GenerationRequest) throws {
        let startLoop: Bool = try inbox.withLock { inbox in
            guard !inbox.closed else { throw LlamaError.notLoaded(model: info.name) }
            inbox.waiting.removeAll { $0.cancelled.isSet }
            let free = max(0, parallel - inbox.running)
            let queued = max(0, inbox.waiting.count - free)
            guard inbox.waiting.count < free || queued < queueCapacity else {
                throw LlamaError.queueFull(
                    model: info.name, running: inbox.running, queued: queued, capacity: queueCapacity)
            }
            inbox.waiting.append(request)
            defer { inbox.loopActive = true }
            return !inbox.loopActive
        }
        if startLoop { queue.async { self.step() } }
    }

    /// Ends every running and waiting request with ``StopReason/cancelled`` (a running decode is aborted) and
    /// returns once the loop has stopped. Later ``submit(_:)`` calls throw ``LlamaError/notLoaded(model:)``.
    func close() async {
        beginClosing()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = inbox.withLock { inbox in
                inbox.closed = true
                guard inbox.loopActive else { return true }
                inbox.stopWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Returns once no request runs or waits: the loop has stopped, every stream has ended and every slot is free
    /// (at once when that is so already).
    /// - Throws: `CancellationError` when the task is cancelled first.
    func waitUntilIdle() async throws {
        let key: UInt64 = inbox.withLock { inbox in
            defer { inbox.nextIdleWaiter += 1 }
            return inbox.nextIdleWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = inbox.withLock { inbox in
                    guard inbox.loopActive, !Task.isCancelled else { return true }
                    inbox.idleWaiters[key] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            inbox.withLock { $0.idleWaiters.removeValue(forKey: key) }?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Marks the scheduler closed without waiting (for the engine's `deinit`): the loop ends every request at its
    /// next step.
    func beginClosing() {
        closing.set()
        inbox.withLock { $0.closed = true }
    }

    /// Requests holding a slot and requests waiting, for diagnostics.
    var load: (running: Int, waiting: Int) { inbox.withLock { ($0.running, $0.waiting.count) } }

    // MARK: - Loop bookkeeping (loop only)

    /// Takes new requests for the free slots (FIFO), drops waiting requests whose consumer left, and reports
    /// whether the scheduler is closing.
    /// - Returns: The admitted requests, the dropped ones, and whether ``close()`` was called.
    func admit(freeSlots: Int) -> (admitted: [GenerationRequest], dropped: [GenerationRequest], closed: Bool) {
        inbox.withLock { inbox in
            let dropped = inbox.waiting.filter { $0.cancelled.isSet }
            inbox.waiting.removeAll { $0.cancelled.isSet }
            guard !inbox.closed else { return ([], dropped, true) }
            let count = min(freeSlots, inbox.waiting.count)
            let admitted = Array(inbox.waiting.prefix(count))
            inbox.waiting.removeFirst(count)
            inbox.running += count
            return (admitted, dropped, false)
        }
    }

    /// Records that `finished` requests left their slots, then decides whether the loop goes on: it stops when
    /// nothing runs or waits, or when the scheduler is closing (then every remaining request is ended here).
    /// - Returns: Whether to enqueue another step.
    func endStep(finished: Int) -> Bool {
        let stillRunning = slots.contains { $0.request != nil }
        let (goOn, closed, waiting, waiters, idle):
            (Bool, Bool, [GenerationRequest], [CheckedContinuation<Void, Never>], [CheckedContinuation<Void, any Error>]) =
            inbox.withLock { inbox in
                inbox.running -= finished
                if inbox.closed {
                    defer { inbox.waiting = []; inbox.stopWaiters = [] }
                    return (false, true, inbox.waiting, inbox.stopWaiters, inbox.loopStopped())
                }
                if !stillRunning && inbox.waiting.isEmpty {
                    return (false, false, [], [], inbox.loopStopped())
                }
                return (true, false, [], [], [])
            }
        guard closed else {
            for waiter in idle { waiter.resume() }
            return goOn
        }
        let now = ContinuousClock.now
        for index in slots.indices {
            guard let request = slots[index].request else { continue }
            release(slotAt: index, keepingCache: false)
            request.finish(.cancelled, now: now)
        }
        for request in waiting { request.finish(.cancelled, now: now) }
        inbox.withLock { $0.running = 0 }
        for waiter in waiters { waiter.resume() }
        for waiter in idle { waiter.resume() }
        return false
    }

    /// Frees a slot; without `keepingCache` its KV cells are removed (`llama_memory_seq_rm`) and its cache forgotten.
    func release(slotAt index: Int, keepingCache: Bool) {
        slots[index].request = nil
        useCounter += 1
        slots[index].lastUsed = useCounter
        if !keepingCache {
            context.removeSequence(slots[index].id)
            slots[index].cached = []
        }
    }
}

// MARK: - Diagnostics and cache control (queue only)

extension LlamaScheduler {
    /// What one sequence slot holds.
    struct SlotState: Sendable, Equatable {
        var busy: Bool
        var cachedTokens: Int
        /// `llama_memory_seq_pos_max` of the sequence: -1 when its KV cells are free.
        var lastPosition: Int
    }

    /// Every slot's state, read between loop steps.
    func slotStates() -> [SlotState] {
        slots.map { SlotState(busy: $0.request != nil, cachedTokens: $0.cached.count, lastPosition: context.lastPosition(of: $0.id)) }
    }

    /// Forgets the cached tokens of every free slot (`llama_memory_seq_rm`), between loop steps.
    func clearFreeSlots() {
        for index in slots.indices where slots[index].request == nil {
            context.removeSequence(slots[index].id)
            slots[index].cached = []
        }
    }
}
