import Dispatch
import ModelRegistry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM. `DispatchSource`s receive them on a private queue (the signals are ignored first so
/// the default action cannot end the process); a second signal ends the process at once.
final class TerminationSignals: Sendable {
    private struct State {
        var received: Int32?
        var waiter: CheckedContinuation<Int32, Never>?
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "serve.signals")
    /// Kept for the object's life. `nonisolated(unsafe)`: Dispatch sources are not `Sendable`; these are set up in
    /// `init` only.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (source, signalNumber) in zip(sources, [SIGINT, SIGTERM]) {
            source.setEventHandler { [state] in
                let (first, waiter) = state.withLock { state in
                    defer { state.waiter = nil }
                    let first = state.received == nil
                    if first { state.received = signalNumber }
                    return (first, state.waiter)
                }
                guard first else { _exit(128 + signalNumber) }
                waiter?.resume(returning: signalNumber)
            }
            source.resume()
        }
    }

    /// Waits for the first SIGINT or SIGTERM.
    /// - Returns: The signal's name.
    func wait() async -> String {
        let number = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let received = state.withLock { state in
                if state.received == nil { state.waiter = continuation }
                return state.received
            }
            if let received { continuation.resume(returning: received) }
        }
        return number == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
