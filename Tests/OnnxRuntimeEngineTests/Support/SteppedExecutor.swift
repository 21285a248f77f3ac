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
        /// Tests waiting for a number of queued jobs, by id.
        var watchers: [UInt64: (count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWatcher: UInt64 = 0
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "SteppedExecutor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let (runNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            if state.released { return (true, []) }
            state.jobs.append(job)
            let count = state.jobs.count
            let due = state.watchers.filter { $0.value.count <= count }
            for id in due.keys { state.watchers[id] = nil }
            return (false, due.values.map(\.continuation))
        }
        ready.forEach { $0.resume() }
        if runNow { run([job]) }
    }

    /// Waits until at least `count` jobs are queued, or the task is cancelled (a test's time limit), so jobs that
    /// never come fail the test instead of hanging the run.
    func waitForJobs(_ count: Int) async {
        let id = state.withLock { state in
            defer { state.nextWatcher += 1 }
            return state.nextWatcher
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if Task.isCancelled || state.jobs.count >= count { return true }
                    state.watchers[id] = (count, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.watchers.removeValue(forKey: id) }?.continuation.resume()
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
