/// An event tests await: `wait()` returns once `signal()` has been called `count` times.
actor AsyncEvent {
    private var remaining: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(count: Int = 1) { remaining = count }

    func signal() {
        remaining -= 1
        guard remaining <= 0 else { return }
        waiters.forEach { $0.resume() }
        waiters = []
    }

    func wait() async {
        guard remaining > 0 else { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
