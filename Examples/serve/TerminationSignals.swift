import Dispatch
import ModelRegistry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for the reason to stop: SIGINT, SIGTERM, or (with ``watchParent(every:)``) the end of the process that
/// started `serve`. `DispatchSource`s receive the signals on a private queue (the signals are ignored first so the
/// default action cannot end the process); a signal after the first reason ends the process at once.
final class TerminationSignals: Sendable {
    private struct State {
        var received: String?
        var waiter: CheckedContinuation<String, Never>?
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "serve.signals")
    /// Kept for the object's life. `nonisolated(unsafe)`: Dispatch sources are not `Sendable`; they are set up in
    /// `init` and `watchParent`, before anything waits.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]
    /// The timer of ``watchParent(every:)``, if watching; set before anything waits, cancelled on `queue`.
    nonisolated(unsafe) private var parentTimer: (any DispatchSourceTimer)?

    init() {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (source, signalNumber) in zip(sources, [SIGINT, SIGTERM]) {
            let reason = signalNumber == SIGTERM ? "SIGTERM received" : "SIGINT received"
            source.setEventHandler { [self] in
                guard deliver(reason) else { _exit(128 + signalNumber) }
            }
            source.resume()
        }
    }

    /// Stops `serve` once the process that started it has ended (it was re-parented: `getppid()` changed), checked
    /// every `interval`. For supervisors and tests: a parent that crashes cannot leave `serve` running, holding the
    /// parent's output pipes open. Call once, before ``wait()``.
    func watchParent(every interval: DispatchTimeInterval = .milliseconds(500)) {
        let parent = getppid()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in
            guard getppid() != parent else { return }
            parentTimer?.cancel()
            _ = deliver("parent process \(parent) exited")
        }
        parentTimer = timer
        timer.resume()
    }

    /// Records the first reason and wakes the waiter. Runs on `queue`.
    /// - Returns: Whether this was the first reason.
    private func deliver(_ reason: String) -> Bool {
        let (first, waiter) = state.withLock { state in
            defer { state.waiter = nil }
            let first = state.received == nil
            if first { state.received = reason }
            return (first, state.waiter)
        }
        waiter?.resume(returning: reason)
        return first
    }

    /// Waits for the first reason to stop.
    /// - Returns: The reason, e.g. `SIGTERM received`.
    func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let received = state.withLock { state in
                if state.received == nil { state.waiter = continuation }
                return state.received
            }
            if let received { continuation.resume(returning: received) }
        }
    }
}
