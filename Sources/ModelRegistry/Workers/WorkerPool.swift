
/// The workers of one model: a bounded queue of requests and the tasks that take them, each under its own lease.
final class WorkerPool: Sendable {
    let name: String
    /// The load whose completion started these workers (a side-by-side swap keeps them, and this id).
    let modelID: ModelID
    let workerCount: Int
    let queue: BoundedQueue<WorkItem>
    private let workers: Locked<[Task<Void, Never>]> = Locked([])
    private let counters = Locked((inFlight: 0, completed: 0))

    /// The pool of load `modelID` of model `name`: the configuration's `maxWorkers` workers and a queue of its
    /// `queueCapacity`.
    init(name: String, modelID: ModelID, configuration: ModelConfiguration) {
        self.name = name
        self.modelID = modelID
        self.workerCount = max(1, configuration.maxWorkers)
        self.queue = BoundedQueue(capacity: configuration.queueCapacity)
    }

    /// Starts the workers; each takes requests until the queue closes and empties.
    func start(registry: ModelRegistry) {
        let tasks = (0..<workerCount).map { _ in
            Task { [self] in
                while let item = await queue.receive() {
                    guard !item.isSettled else { continue }
                    counters.withLock { $0.inFlight += 1 }
                    do {
                        try await registry.withModel(name) { engine in await item.run(with: engine) }
                    } catch {
                        item.fail(error)
                    }
                    counters.withLock {
                        $0.inFlight -= 1
                        $0.completed += 1
                    }
                }
            }
        }
        workers.withLock { $0 = tasks }
    }

    /// Stops taking new requests. Queued ones are failed with `error` when `cancelQueued`, or still run otherwise;
    /// requests already running finish either way.
    func close(cancelQueued: Bool, error: RegistryError) {
        for item in queue.close(discardingBuffered: cancelQueued) { item.fail(error) }
    }

    /// Waits for every worker to finish.
    func waitForWorkers() async {
        for task in workers.withLock({ $0 }) { await task.value }
    }

    /// The pool's figures right now.
    var status: WorkerPoolStatus {
        let (inFlight, completed) = counters.withLock { ($0.inFlight, $0.completed) }
        return WorkerPoolStatus(
            name: name, workers: workerCount, queued: queue.count, capacity: queue.capacity, inFlight: inFlight,
            completed: completed, isAccepting: !queue.isClosed)
    }
}

/// A snapshot of one model's workers and queue.
public struct WorkerPoolStatus: Sendable, Hashable {
    /// The model's public name.
    public var name: String
    /// Workers running.
    public var workers: Int
    /// Requests waiting in the queue.
    public var queued: Int
    /// The queue's capacity.
    public var capacity: Int
    /// Requests running now.
    public var inFlight: Int
    /// Requests finished (successfully or not) since the workers started.
    public var completed: Int
    /// Whether new requests are accepted (false once the model starts unloading).
    public var isAccepting: Bool
}
