import ModelRegistry

/// A gate tasks wait at until a test opens it; tells how many are waiting.
final class Gate: Sendable {
    private let state = Locked((open: false, waiters: [CheckedContinuation<Void, Never>]()))

    init(open: Bool = false) { state.withLock { $0.open = open } }

    /// Waits until the gate is open.
    func wait() async {
        await withCheckedContinuation { continuation in
            let passed = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
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

    /// Yields until `count` tasks wait at the gate.
    func waitForWaiters(_ count: Int = 1) async {
        while waiting < count { await Task.yield() }
    }
}
