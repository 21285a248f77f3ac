
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
    private let pools = Locked<[String: WorkerPool]>([:])
    private let broadcaster = EventBroadcaster<WorkerPoolEvent>()
    private var listener: Task<Void, Never>?
    private var loadHook: UInt64?

    /// Creates a worker registry for a model registry. Call ``start()`` (or ``run()``) to begin.
    /// - Parameter registry: The registry whose events drive the workers.
    public init(registry: ModelRegistry) { self.registry = registry }

    /// Subscribes to the registry's events and starts workers for the models already loaded. From then on a model's
    /// workers exist as soon as its load returns (they are started before the load's callers resume).
    public func start() async {
        guard listener == nil else { return }
        let (pools, broadcaster) = (pools, broadcaster)
        loadHook = await registry.addLoadHook { [registry] name, _, configuration in
            Self.startPool(for: name, configuration: configuration, in: pools, registry: registry, announcing: broadcaster)
        }
        let events = registry.events(bufferingPolicy: .unbounded)
        listener = Task { [weak self] in
            for await event in events {
                await self?.handle(event)
            }
        }
        for name in await registry.loadedModels { await startPool(for: name) }
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
        listener?.cancel()
        listener = nil
        if let loadHook { await registry.removeLoadHook(loadHook) }
        loadHook = nil
        let all = pools.withLock { pools in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        for pool in all {
            pool.close(cancelQueued: true, error: .noWorkers(name: pool.name, running: []))
            await pool.waitForWorkers()
            broadcaster.publish(.stopped, name: pool.name)
        }
    }

    /// Subscribes to the changes of every model's workers, from now on (see ``WorkerPoolEvent``).
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
    public nonisolated var models: [String] { pools.withLock { $0.keys.sorted() } }

    /// The workers and queue of one model, or `nil` when it has none.
    /// - Parameter name: The public name.
    public nonisolated func status(of name: String) -> WorkerPoolStatus? { pools.withLock { $0[name] }?.status }

    // MARK: - Events

    private func handle(_ event: RegistryEvent) async {
        switch event.kind {
        case .loaded:
            await startPool(for: event.name)
        case .unloadStarted:
            pool(event.name)?.close(cancelQueued: true, error: .requestCancelledByUnload(name: event.name))
        case .unloadAborted:
            await removePool(event.name)
            await startPool(for: event.name)
        case .unloaded, .unregistered, .loadFailed:
            await removePool(event.name)
        case .registered, .loadStarted, .healthChanged, .evicted, .configurationUpdated, .downloadStarted,
            .downloadProgress, .downloaded, .downloadFailed, .downloadDeleted, .loadProgress, .swapStarted, .swapped,
            .swapFailed, .retired:
            break
        }
    }

    private func startPool(for name: String) async {
        guard pool(name) == nil, await registry.isLoaded(name),
            let configuration = try? await registry.configuration(of: name)
        else { return }
        Self.startPool(for: name, configuration: configuration, in: pools, registry: registry, announcing: broadcaster)
    }

    /// Creates and starts a model's pool unless it has one, and announces it.
    private static func startPool(
        for name: String, configuration: ModelConfiguration, in pools: Locked<[String: WorkerPool]>,
        registry: ModelRegistry, announcing broadcaster: EventBroadcaster<WorkerPoolEvent>
    ) {
        let pool = pools.withLock { pools -> WorkerPool? in
            guard pools[name] == nil else { return nil }
            let pool = WorkerPool(
                name: name, workerCount: configuration.maxWorkers, capacity: configuration.queueCapacity)
            pools[name] = pool
            return pool
        }
        guard let pool else { return }
        pool.start(registry: registry)
        broadcaster.publish(.started(workers: pool.workerCount), name: name)
    }

    private func removePool(_ name: String) async {
        guard let pool = pools.withLock({ $0.removeValue(forKey: name) }) else { return }
        pool.close(cancelQueued: true, error: .requestCancelledByUnload(name: name))
        await pool.waitForWorkers()
        broadcaster.publish(.stopped, name: name)
    }

    nonisolated func pool(_ name: String) -> WorkerPool? { pools.withLock { $0[name] } }
}
