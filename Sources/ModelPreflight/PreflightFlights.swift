/// One child per file at a time in a process: loads of one file that arrive while its child runs wait for that
/// child's verdict instead of starting their own (at start-up many models, or many tests, may share a file).
///
/// The child is cancelled (killed) when every load waiting for it has been cancelled.
actor PreflightFlights {
    /// The flights of this process.
    static let shared = PreflightFlights()

    /// Per file: the run, the waiters that have not returned yet, and those of them not cancelled.
    private var running: [String: (task: Task<Void, any Error>, waiters: Int, live: Int)] = [:]

    /// Runs `body` for `key`, or joins the run already in flight for it.
    /// - Throws: What `body` throws; `CancellationError` when this waiter was cancelled.
    func run(key: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let task: Task<Void, any Error>
        if let entry = running[key], !entry.task.isCancelled {
            task = entry.task
            running[key] = (task, entry.waiters + 1, entry.live + 1)
        } else {
            task = Task { try await body() }
            running[key] = (task, 1, 1)
        }
        defer { leave(key, task: task) }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            Task { await self.cancelled(key, task: task) }
        }
        try Task.checkCancellation()
    }

    private func leave(_ key: String, task: Task<Void, any Error>) {
        guard let entry = running[key], entry.task == task else { return }
        if entry.waiters <= 1 { running[key] = nil } else { running[key]?.waiters -= 1 }
    }

    /// A waiter was cancelled: the child goes on only while someone still waits for it.
    private func cancelled(_ key: String, task: Task<Void, any Error>) {
        guard let entry = running[key], entry.task == task else { return }
        running[key]?.live -= 1
        if entry.live <= 1 { task.cancel() }
    }
}
