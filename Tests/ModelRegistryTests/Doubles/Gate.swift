import ModelRegistry

/// A gate tasks wait at until a test opens it; tells how many are waiting.
final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Tests waiting for a number of tasks at the gate.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())

    init(open: Bool = false) { state.withLock { $0.open = open } }

    /// Waits until the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let (passed, watchers) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                if state.open { return (true, []) }
                state.waiters.append(continuation)
                let count = state.waiters.count
                defer { state.watchers.removeAll { $0.count <= count } }
                return (false, state.watchers.filter { $0.count <= count }.map(\.continuation))
            }
            watchers.forEach { $0.resume() }
            if passed { continuation.resume() }
        }
    }

    /// Opens the gate and lets every waiter through.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Tasks waiting right now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Waits until `count` tasks wait at the gate.
    func waitForWaiters(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.waiters.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
