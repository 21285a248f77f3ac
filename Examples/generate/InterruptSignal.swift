import Dispatch
import ModelRegistry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) into a call: the first one runs the action given to ``onInterrupt(_:)``; a second one
/// ends the process at once, as Ctrl-C normally does.
///
/// A `DispatchSource` on a private queue receives the signal, so the action runs on an ordinary thread (not inside
/// a signal handler) and may do anything. SIGINT is ignored first so that it cannot kill the process before the
/// source is registered (on Linux, libdispatch then installs its own handler that forwards the signal to its
/// `signalfd`).
final class InterruptSignal: Sendable {
    private struct State {
        var interrupted = false
        var action: (@Sendable () -> Void)?
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "generate.interrupt")
    /// Kept for the object's life: a source that is deallocated stops delivering. `nonisolated(unsafe)` because
    /// Dispatch does not mark its sources `Sendable`; this one is set up and resumed by ``install()`` only.
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    /// Starts listening for SIGINT and returns once the signal source is registered. Call it first thing in
    /// `main` and keep the result: a Ctrl-C before ``onInterrupt(_:)`` is remembered.
    /// - Returns: The listener.
    static func install() async -> InterruptSignal {
        let interrupt = InterruptSignal()
        await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
            interrupt.source.setRegistrationHandler { registered.resume() }
            interrupt.source.resume()
        }
        return interrupt
    }

    private init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: queue)
        source.setEventHandler { [state] in
            let (first, action) = state.withLock { state in
                defer { state.interrupted = true }
                return (!state.interrupted, state.action)
            }
            guard first else { _exit(130) }  // a second Ctrl-C: stop now, with the status a shell gives Ctrl-C
            action?()
        }
    }

    /// Whether SIGINT has arrived.
    var isInterrupted: Bool { state.withLock { $0.interrupted } }

    /// Sets what the first SIGINT does; runs it at once when one already arrived.
    /// - Parameter action: E.g. cancelling the task doing the work.
    func onInterrupt(_ action: @escaping @Sendable () -> Void) {
        let interrupted = state.withLock { state in
            state.action = action
            return state.interrupted
        }
        if interrupted { action() }
    }
}
