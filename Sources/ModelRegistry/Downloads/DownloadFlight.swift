import Foundation

/// One running download shared by every caller that asked for the same destination (single flight).
///
/// Callers ``join(progress:)`` (synchronously, inside the manager's actor) and then ``wait(_:)``. Progress goes to
/// every caller still waiting. A caller whose task is cancelled leaves at once while others still wait; when the
/// last waiting caller is cancelled, the download itself is cancelled, and the callers get its result only once it
/// has cleaned up (so no temporary file is left when they return).
final class DownloadFlight: Sendable {
    typealias Outcome = Result<URL, DownloadError>

    private enum Waiter {
        /// Joined, not suspended yet.
        case joined
        /// Suspended in ``wait(_:)``.
        case waiting(CheckedContinuation<Outcome, Never>)
        /// Its task was cancelled while the download goes on for others.
        case left
        /// Its task was cancelled along with every other waiter; it still gets the download's outcome.
        case abandoning(CheckedContinuation<Outcome, Never>?)
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var observers: [UInt64: @Sendable (DownloadProgress) -> Void] = [:]
        var nextID: UInt64 = 0
        var outcome: Outcome?
        /// Every waiter was cancelled: the download is being cancelled, so nobody may join any more.
        var abandoned = false
        var task: Task<Void, Never>?
    }

    /// What is being downloaded.
    let request: DownloadRequest
    private let state = Locked(State())

    /// Creates a flight; ``start(_:)`` gives it its task.
    /// - Parameter request: What is being downloaded.
    init(request: DownloadRequest) { self.request = request }

    /// Starts the download: the task runs it and ends by calling ``finish(_:)``.
    /// - Parameter task: The task running the download.
    func start(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state in
            state.task = task
            return state.abandoned
        }
        if cancelNow { task.cancel() }
    }

    /// Adds a caller.
    /// - Parameter progress: Where this caller wants progress reports.
    /// - Returns: The caller's id for ``wait(_:)``, or `nil` when the flight is being cancelled (start another).
    func join(progress: @escaping @Sendable (DownloadProgress) -> Void) -> UInt64? {
        state.withLock { state in
            guard !state.abandoned, state.outcome == nil else { return nil }
            defer { state.nextID += 1 }
            state.waiters[state.nextID] = .joined
            state.observers[state.nextID] = progress
            return state.nextID
        }
    }

    /// Whether callers can still join: the download is neither finished nor being cancelled.
    var isJoinable: Bool { state.withLock { !$0.abandoned && $0.outcome == nil } }

    /// Callers that joined and were not cancelled.
    var callerCount: Int {
        state.withLock { state in
            state.waiters.values.count { waiter in
                switch waiter {
                case .joined, .waiting: true
                case .left, .abandoning: false
                }
            }
        }
    }

    /// Waits for the download's outcome, or for this caller's cancellation.
    /// - Parameter id: The id ``join(progress:)`` returned.
    /// - Returns: The file, or why there is none.
    func wait(_ id: UInt64) async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let ready: Outcome? = state.withLock { state in
                    if let outcome = state.outcome { return outcome }
                    switch state.waiters[id] {
                    case .joined: state.waiters[id] = .waiting(continuation)
                    case .abandoning: state.waiters[id] = .abandoning(continuation)
                    case .left, .waiting, nil: return .failure(.cancelled(model: request.modelName, url: request.url))
                    }
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            leave(id)
        }
    }

    /// Sends a progress report to every caller still waiting.
    /// - Parameter progress: The report.
    func report(_ progress: DownloadProgress) {
        let observers = state.withLock { Array($0.observers.values) }
        observers.forEach { $0(progress) }
    }

    /// Records the outcome and resumes every caller.
    /// - Parameter outcome: The file, or why there is none.
    func finish(_ outcome: Outcome) {
        let continuations = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            state.outcome = outcome
            state.observers.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters.values.compactMap { waiter in
                switch waiter {
                case .waiting(let continuation), .abandoning(let continuation?): continuation
                case .joined, .left, .abandoning(nil): nil
                }
            }
        }
        continuations.forEach { $0.resume(returning: outcome) }
    }

    /// A caller's task was cancelled: it leaves, or, when it was the last one waiting, the download is cancelled.
    private func leave(_ id: UInt64) {
        let cancelled = request.url
        let (leaving, task) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Task<Void, Never>?) in
            guard state.outcome == nil, let waiter = state.waiters[id] else { return (nil, nil) }
            state.observers[id] = nil
            let othersWaiting = state.waiters.contains { key, value in
                guard key != id else { return false }
                switch value {
                case .joined, .waiting: return true
                case .left, .abandoning: return false
                }
            }
            if othersWaiting {
                state.waiters[id] = .left
                if case .waiting(let continuation) = waiter { return (continuation, nil) }
                return (nil, nil)
            }
            state.abandoned = true
            for (key, value) in state.waiters {
                switch value {
                case .waiting(let continuation): state.waiters[key] = .abandoning(continuation)
                case .joined: state.waiters[key] = .abandoning(nil)
                case .left, .abandoning: break
                }
            }
            return (nil, state.task)
        }
        leaving?.resume(returning: .failure(.cancelled(model: request.modelName, url: cancelled)))
        task?.cancel()
    }

    /// Whether the flight downloads the same file the same way as `other`.
    /// - Parameter other: Another request for the same destination.
    func matches(_ other: DownloadRequest) -> Bool {
        request.url == other.url && request.expectedSHA256 == other.expectedSHA256
    }
}
