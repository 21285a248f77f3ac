
/// Starts workers for each model when it loads and stops them when it unloads, by following a registry's events.
///
/// Each loaded model gets `maxWorkers` workers (from its configuration) pulling requests from a queue of
/// `queueCapacity`. Every request runs under its own lease, so an unload waits for running requests.
///
/// Backpressure: ``submit(to:_:)`` suspends while the model's queue is full (cancel the task to give up);
/// ``trySubmit(to:_:)`` fails at once with ``RegistryError/queueFull(name:capacity:)``.
/// Unload: when a model starts unloading its queue closes; queued requests fail with
/// ``RegistryError/requestCancelledByUnload(name:)`` and running ones finish. To run the queued ones first, call
/// ``drainAndUnload(_:drainTimeout:)``.
///
/// ```swift
/// let workers = WorkerRegistry(registry: registry)
/// await workers.start()
/// try await registry.load("iris")
/// let label = try await workers.submit(to: "iris") { engine in try await classify(engine) }
/// ```
public actor WorkerRegistry {
    let registry: ModelRegistry
    /// Pools by model name, read without an actor hop on the submission path.
    private let pools = Locked(WorkerPoolTable())
    private let broadcaster = EventBroadcaster<WorkerPoolEvent>()
    private var listener: Task<Void, Never>?
    private var loadHook: UInt64?

    /// Creates a worker registry for a model registry. Call ``start()`` (or ``run()``) to begin.
    /// - Parameter registry: The registry whose events drive the workers.
    public init(registry: ModelRegistry) { self.registry = registry }

    /// Subscribes to the registry's events and starts workers for the models already loaded. From then on a model's
    /// workers exist as soon as its load returns (they are started before the load's callers resume), even when the
    /// model unloaded just before: the old load's workers then finish the requests they run, and stop.
    public func start() async {
        guard listener == nil else { return }
        let (pools, broadcaster) = (pools, broadcaster)
        loadHook = await registry.addLoadHook { [registry] name, id, configuration in
            Self.startPool(for: name, load: id, configuration: configuration, in: pools, registry: registry,
                           announcing: broadcaster)
        }
        let events = registry.events(bufferingPolicy: .unbounded)
        for record in await registry.records where record.state.isLoaded {
            guard let id = record.id else { continue }
            startPool(for: record.name, load: id, configuration: record.configuration)
        }
        // Handling starts after the models loaded before are in the table, so an unload that ended meanwhile
        // (its events are buffered) removes their workers instead of finding none.
        listener = Task { [weak self] in
            for await event in events {
                await self?.handle(event)
            }
        }
    }

    /// Runs until the calling task is cancelled, then stops every worker (shaped like a service-lifecycle
    /// `Service`).
    public func run() async {
        await start()
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        await stop()
    }

    /// Stops following events, fails queued requests and waits for running ones and the workers to end.
    public func stop() async {
        let listener = self.listener
        self.listener = nil
        listener?.cancel()
        await listener?.value  // an event it was handling may still start a pool
        if let loadHook { await registry.removeLoadHook(loadHook) }
        loadHook = nil
        let (current, retiring) = pools.withLock { $0.removeAll() }
        let stopping = current.map { pool in
            Self.retire(pool, error: .noWorkers(name: pool.name, running: []), from: pools, announcing: broadcaster)
        }
        for task in retiring + stopping { await task.value }
    }

    /// Subscribes to the changes of every model's workers, from now on (see ``WorkerPoolEvent``, and its order).
    ///
    /// Subscribe before the action whose effect you await: `let events = workers.events()`, then
    /// `try await registry.unload("iris")`, then wait for `iris`'s `.stopped`.
    /// - Parameter bufferingPolicy: How the stream buffers events it has not read yet.
    /// - Returns: The stream; it ends when the iterating task is cancelled.
    public nonisolated func events(
        bufferingPolicy: AsyncStream<WorkerPoolEvent>.Continuation.BufferingPolicy = .bufferingNewest(1024)
    ) -> AsyncStream<WorkerPoolEvent> {
        broadcaster.subscribe(bufferingPolicy: bufferingPolicy)
    }

    /// The models that have workers, sorted.
    public nonisolated var models: [String] { pools.withLock { $0.slots.keys.sorted() } }

    /// The workers and queue of one model, or `nil` when it has none.
    /// - Parameter name: The public name.
    public nonisolated func status(of name: String) -> WorkerPoolStatus? { pool(name)?.status }

    // MARK: - Events

    /// Carries out what a registry event means for the pool of the event's load; the load hook has already
    /// replaced the pool of a load older than the model's current one, so an event of that load finds none.
    private func handle(_ event: RegistryEvent) async {
        let (name, id) = (event.name, event.modelID)
        switch event.kind {
        case .loaded:
            if let id { pools.withLock { $0.follow(name, load: id) } }
        case .swapped:
            if let id { pools.withLock { $0.swapped(name, to: id) } }
        case .unloadStarted:
            pools.withLock { $0.pool(name, serving: id) }?
                .close(cancelQueued: true, error: .requestCancelledByUnload(name: name))
        case .unloadAborted:
            await restartPool(name, serving: id)
        case .unloaded:
            guard let pool = pools.withLock({ $0.remove(name, serving: id) }) else { return }
            Self.retire(pool, error: .requestCancelledByUnload(name: name), from: pools, announcing: broadcaster)
        case .registered, .unregistered, .loadStarted, .loadFailed, .healthChanged, .evicted, .configurationUpdated,
            .downloadStarted, .downloadProgress, .downloaded, .downloadFailed, .downloadDeleted, .loadProgress,
            .swapStarted, .swapFailed, .retired:
            // No pool serves a load that failed, and unregistering unloads first (its `unloaded` retired the pool).
            break
        }
    }

    /// An unload of load `id` gave up and the model stays loaded: replaces the pool its start closed with a fresh
    /// one, once the closed one's workers have stopped (so its `.stopped` comes first).
    private func restartPool(_ name: String, serving id: ModelID?) async {
        guard let id, let closed = pools.withLock({ $0.remove(name, serving: id) }) else { return }
        await Self.retire(closed, error: .requestCancelledByUnload(name: name), from: pools, announcing: broadcaster)
            .value
        guard let configuration = try? await registry.configuration(of: name) else { return }
        startPoolIfAbsent(WorkerPool(name: name, modelID: closed.modelID, configuration: configuration), serving: id)
    }

    /// Starts the workers of a model found loaded (load `id`), unless it has some.
    private func startPool(for name: String, load id: ModelID, configuration: ModelConfiguration) {
        startPoolIfAbsent(WorkerPool(name: name, modelID: id, configuration: configuration), serving: id)
    }

    /// Starts a pool the listener made, serving load `id`, unless the model has a pool (the load hook may have
    /// started one for a newer load meanwhile).
    private func startPoolIfAbsent(_ pool: WorkerPool, serving id: ModelID) {
        let slot = WorkerPoolTable.Slot(pool: pool, serving: id, isFollowed: true)
        pools.withLock { table in
            guard table.installIfAbsent(slot) else { return }
            Self.start(pool, registry: registry, announcing: broadcaster)
        }
    }

    /// The load hook: starts the workers of load `id` in place of the model's pool, which belongs to an older load
    /// whose events the listener has not handled yet (if any); that one is retired.
    private static func startPool(
        for name: String, load id: ModelID, configuration: ModelConfiguration, in pools: Locked<WorkerPoolTable>,
        registry: ModelRegistry, announcing broadcaster: EventBroadcaster<WorkerPoolEvent>
    ) {
        let pool = WorkerPool(name: name, modelID: id, configuration: configuration)
        let older = pools.withLock { table in
            let older = table.install(WorkerPoolTable.Slot(pool: pool, serving: id, isFollowed: false))
            start(pool, registry: registry, announcing: broadcaster)
            return older
        }
        if let older {
            retire(older, error: .requestCancelledByUnload(name: name), from: pools, announcing: broadcaster)
        }
    }

    /// Starts the workers of a pool just put in the table, and announces them. Called under the table's lock, so
    /// that no one can take the pool out and announce its `.stopped` before its `.started`.
    private static func start(
        _ pool: WorkerPool, registry: ModelRegistry, announcing broadcaster: EventBroadcaster<WorkerPoolEvent>
    ) {
        pool.start(registry: registry)
        broadcaster.publish(.started(workers: pool.workerCount), of: pool)
    }

    /// Closes a pool taken out of the table, failing its queued requests with `error`, and announces its `.stopped`
    /// once its running requests have finished and its workers ended.
    /// - Returns: The task that waits for the workers and announces it.
    @discardableResult
    private static func retire(
        _ pool: WorkerPool, error: RegistryError, from pools: Locked<WorkerPoolTable>,
        announcing broadcaster: EventBroadcaster<WorkerPoolEvent>
    ) -> Task<Void, Never> {
        pool.close(cancelQueued: true, error: error)
        let key = ObjectIdentifier(pool)
        // Recorded under the lock it takes to remove itself, so it cannot remove itself before it is recorded.
        return pools.withLock { table in
            let task = Task {
                await pool.waitForWorkers()
                broadcaster.publish(.stopped, of: pool)
                pools.withLock { _ = $0.retiring.removeValue(forKey: key) }
            }
            table.retiring[key] = task
            return task
        }
    }

    /// The model's current pool, if it has one.
    nonisolated func pool(_ name: String) -> WorkerPool? { pools.withLock { $0.slots[name]?.pool } }
}
