import Dispatch
import ModelRegistry

/// A task executor that runs nothing by itself: the jobs of the tasks that prefer it wait in its queue until the test
/// runs them. A test can so run each task up to its next suspension point and know that it stands there, with no
/// timing involved.
///
/// ```swift
/// let executor = SteppedExecutor()
/// let task = Task(executorPreference: executor) { try await engine.run(inputs) }
/// await executor.waitForJobs(1)
/// await executor.runQueued()  // the run is now suspended in the engine, and cannot resume until…
/// executor.release()          // …every job runs as it comes
/// ```
final class SteppedExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `state` is behind its lock; jobs only ever run on `queue`, one at a time.
    private struct State {
        var jobs: [UnownedJob] = []
        var released = false
        /// Tests waiting for a number of queued jobs.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "SteppedExecutor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let (runNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            if state.released { return (true, []) }
            state.jobs.append(job)
            let count = state.jobs.count
            defer { state.watchers.removeAll { $0.count <= count } }
            return (false, state.watchers.filter { $0.count <= count }.map(\.continuation))
        }
        ready.forEach { $0.resume() }
        if runNow { run([job]) }
    }

    /// Waits until at least `count` jobs are queued.
    func waitForJobs(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.jobs.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Runs the jobs queued now, in order, and returns once each has run to its task's next suspension point (or its
    /// end). The jobs they enqueue meanwhile wait for the next call.
    /// - Returns: How many jobs ran.
    @discardableResult
    func runQueued() async -> Int {
        let jobs = state.withLock { state in
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                for job in jobs { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
                continuation.resume()
            }
        }
        return jobs.count
    }

    /// Jobs waiting to run.
    var queuedJobs: Int { state.withLock { $0.jobs.count } }

    /// Runs the queued jobs, and from now on every job as it comes.
    func release() {
        let jobs = state.withLock { state in
            state.released = true
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        run(jobs)
    }

    private func run(_ jobs: [UnownedJob]) {
        queue.async {
            for job in jobs { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
}
