import Foundation

/// Holds one record per model, loads and unloads models through engines an ``EngineFactory`` creates, hands engines
/// out under leases, and publishes every lifecycle change as a ``RegistryEvent``.
///
/// ```swift
/// var factory = EngineFactory()
/// factory.register(OnnxRuntimeEngine.self, engine: .onnxruntime, modelType: .classifier)
/// let registry = try ModelRegistry(factory: factory, configuration: try .load(contentsOf: configURL))
/// let events = registry.events()
/// let label = try await registry.withModel("iris", as: OnnxRuntimeEngine.self) { engine in
///     try await engine.run(["float_input": input])
/// }
/// try await registry.unload("iris")
/// ```
///
/// Loads are single flight: any number of concurrent callers asking for an unloaded model share one engine load.
/// While a lease is held the model is never unloaded; ``unload(_:drainTimeout:)`` waits for leases to end.
public actor ModelRegistry {
    let factory: EngineFactory
    let options: RegistryOptions
    let clock: RegistryClock
    let broadcaster = EventBroadcaster<RegistryEvent>()
    /// Fetches models whose `path` is an `http(s)` URL before they load.
    let downloads: DownloadManager
    var entries: [String: ModelEntry] = [:]
    var defaultModelName: String?
    var nextWaiterID: UInt64 = 1
    /// Loads holding one of `maxConcurrentLoads` slots.
    var loadSlotsInUse = 0
    /// Loads waiting for a slot, in request order.
    let loadSlotWaiters = WaiterQueue<Void>()
    /// Loads waiting for capacity to free up (a lease ending, an unload, a failed load).
    let capacityWaiters = WaiterQueue<Void>()
    /// Bytes of models unregistered while engines of theirs were still loading or unloading, by load id: abandoned
    /// loads and swaps, until their work ends (``abandonableWorkEnded(_:id:)``), and retired versions, until their
    /// engine has unloaded. They stay counted against the memory budget, as they would had the model stayed.
    var unregisteredWorkBytes: [ModelID: Int] = [:]
    /// Every model's lease count and use figures, shared with lease holders (the lease fast path).
    nonisolated let leaseTable = LeaseTable()
    /// The progress reporters of the loads and swaps not settled yet, by attempt: closed as their attempt settles
    /// (``progressEnded(_:)``), so an engine still loading after its load timed out or was cancelled publishes nothing.
    var progressReporters: [ModelID: LoadProgressReporter] = [:]
    /// What each model file was seen to hold once loaded, for the next admission of the same file.
    var learnedMemory = LearnedMemory()
    /// Version swaps completed over the registry's life.
    var swapCount = 0
    /// Models evicted (for keep-alive or capacity) over the registry's life.
    var evictionCount = 0
    /// Lease requests that came to the actor rather than taking the fast path, over the registry's life (tests read
    /// it to see which path a lease took).
    var actorLeaseRequests = 0
    /// The periodic health check started by ``run()``.
    var healthChecks: Task<Void, Never>?
    /// Called on the actor when a model has loaded, with its name, the load's id and its configuration: before its
    /// `loaded` event and before its waiters resume (so a ``WorkerRegistry``'s pool exists once `load` returns), by
    /// hook id.
    var loadHooks: [UInt64: @Sendable (String, ModelID, ModelConfiguration) -> Void] = [:]

    /// Creates a registry. The models are not checked against the factory here: one whose (engine, type) pair has
    /// no engine type, or whose `parameters` hold a key its engine does not read, fails when it loads
    /// (``init(factory:configuration:clock:)`` and ``register(_:)`` refuse them at once).
    /// - Parameters:
    ///   - factory: Creates an engine for each (engine kind, model type) pair.
    ///   - models: The models to register at once.
    ///   - defaultModel: The name ``defaultModel()`` resolves to.
    ///   - options: Registry-wide settings.
    ///   - clock: The clock for timeouts and deadlines (inject a manual clock in tests).
    public init(
        factory: EngineFactory, models: [ModelConfiguration] = [], defaultModel: String? = nil,
        options: RegistryOptions = RegistryOptions(), clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.factory = factory
        self.options = options
        self.clock = RegistryClock(clock)
        self.downloads = DownloadManager(
            maxConcurrentDownloads: options.maxConcurrentDownloads, idleTimeout: options.downloadIdleTimeout,
            retries: options.downloadRetries, deadline: options.downloadDeadline, clock: clock)
        self.defaultModelName = defaultModel
        let now = Date()
        for model in models {
            leaseTable.add(model.name)
            entries[model.name] = ModelEntry(
                configuration: model, registeredAt: now, downloadTo: Self.downloadDestination(of: model, options))
        }
    }

    /// Creates a registry from a configuration file's contents, checking that the factory has an engine for every
    /// configured model's (engine, type) pair, and that the engine reads every key of the model's `parameters`.
    /// - Parameters:
    ///   - factory: Creates an engine for each (engine kind, model type) pair.
    ///   - configuration: The models, the default model and the registry-wide settings.
    ///   - clock: The clock for timeouts and deadlines.
    /// - Throws: ``RegistryError/engineNotRegistered(model:pair:registered:)`` naming the first model (by name)
    ///   whose pair the factory cannot serve, and the pairs it can; then
    ///   ``RegistryError/unknownParameter(model:key:engine:known:)`` naming the first model with a parameter its
    ///   engine does not read, and the keys it does.
    public init(
        factory: EngineFactory, configuration: RegistryConfiguration, clock: any Clock<Duration> = ContinuousClock()
    ) throws(RegistryError) {
        let registered = Set(factory.registeredPairs)
        if let model = configuration.models.first(where: { !registered.contains($0.pair) }) {
            throw .engineNotRegistered(model: model.name, pair: model.pair, registered: factory.registeredPairs)
        }
        for model in configuration.models { try factory.checkParameters(of: model) }
        self.init(
            factory: factory, models: configuration.models, defaultModel: configuration.defaultModel,
            options: configuration.options, clock: clock
        )
    }

    // MARK: - Registration

    /// Adds a model, publishing ``RegistryEvent/Kind/registered``. The model is not loaded.
    /// - Parameter configuration: The model's configuration; its `name` is the public name.
    /// - Throws: ``RegistryError/modelAlreadyRegistered(name:)`` when the name is taken;
    ///   ``RegistryError/unknownParameter(model:key:engine:known:)`` when its `parameters` hold a key its engine does
    ///   not read (see ``EngineFactory/checkParameters(of:)``).
    public func register(_ configuration: ModelConfiguration) throws(RegistryError) {
        guard entries[configuration.name] == nil else { throw .modelAlreadyRegistered(name: configuration.name) }
        try factory.checkParameters(of: configuration)
        leaseTable.add(configuration.name)
        entries[configuration.name] = ModelEntry(
            configuration: configuration, registeredAt: Date(),
            downloadTo: Self.downloadDestination(of: configuration, options))
        publish(.registered, for: configuration.name)
    }

    /// Unloads a model if it is loaded, then removes it, publishing ``RegistryEvent/Kind/unregistered``.
    ///
    /// Requests waiting for the model (for its load, or for its unload to end) fail with
    /// ``RegistryError/unregistered(name:)``; this is the only way a waiting request fails for an unload.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``, or what ``unload(_:drainTimeout:)`` throws (the
    ///   model then stays registered).
    public func unregister(_ name: String) async throws(RegistryError) {
        _ = try entry(name)
        entries[name]?.isUnregistering = true
        refreshFastPath(name)
        do {
            try await unload(name)
        } catch {
            entries[name]?.isUnregistering = false
            refreshFastPath(name)
            throw error
        }
        guard let entry = entries.removeValue(forKey: name) else { return }
        unregisteredWorkBytes.merge(entry.lifecycle.abandonedBytes) { _, latest in latest }
        for (id, old) in entry.retiring { unregisteredWorkBytes[id] = old.loaded.bytes ?? 0 }
        leaseTable.remove(name)
        if defaultModelName == name { defaultModelName = nil }
        publishEvent(.unregistered, name: name, id: nil, configuration: entry.configuration)
    }

    // MARK: - Events

    /// Subscribes to lifecycle events from now on.
    ///
    /// Each subscriber has its own buffer, so a slow subscriber never holds back the registry or other
    /// subscribers. The default keeps the newest 1,024 undelivered events and drops older ones (count them with
    /// ``droppedEventCount``, and spot gaps with ``RegistryEvent/sequence``); pass `.unbounded` to lose nothing.
    /// The stream ends when ``shutdown()`` runs; stop iterating (or cancel the task) to unsubscribe.
    /// - Parameter bufferingPolicy: How this subscriber's buffer behaves when it falls behind.
    /// - Returns: The stream of events.
    public nonisolated func events(
        bufferingPolicy: AsyncStream<RegistryEvent>.Continuation.BufferingPolicy = .bufferingNewest(1024)
    ) -> AsyncStream<RegistryEvent> {
        broadcaster.subscribe(bufferingPolicy: bufferingPolicy)
    }

    /// The number of live event subscribers.
    public nonisolated var subscriberCount: Int { broadcaster.subscriberCount }

    /// Events that full subscriber buffers dropped, summed over subscribers.
    public nonisolated var droppedEventCount: Int { broadcaster.droppedEvents }

    func publish(_ kind: RegistryEvent.Kind, for name: String) {
        guard let entry = entries[name] else { return }
        publishEvent(kind, name: name, id: entry.lifecycle.currentID, configuration: entry.configuration)
    }

    func publishEvent(_ kind: RegistryEvent.Kind, name: String, id: ModelID?, configuration: ModelConfiguration) {
        broadcaster.publish(kind, name: name, id: id, configuration: configuration)
    }

    // MARK: - Helpers

    /// The registered model a request's name means: `name` itself, or for `model@policy` the catalog version it
    /// names (``resolveVersion(_:)``).
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``; catalog errors naming the versions there are.
    func resolve(_ name: String) throws(RegistryError) -> String {
        if entries[name] != nil { return name }
        return try resolveVersion(name)
    }

    func entry(_ name: String) throws(RegistryError) -> ModelEntry {
        guard let entry = entries[name] else { throw .modelNotFound(name: name, available: entries.keys.sorted()) }
        return entry
    }

    /// Adds a hook run whenever a model loads (see ``loadHooks``); returns its id for ``removeLoadHook(_:)``.
    func addLoadHook(_ hook: @escaping @Sendable (String, ModelID, ModelConfiguration) -> Void) -> UInt64 {
        let id = makeWaiterID()
        loadHooks[id] = hook
        return id
    }

    /// Removes a hook that ``addLoadHook(_:)`` added.
    func removeLoadHook(_ id: UInt64) { loadHooks.removeValue(forKey: id) }

    func makeWaiterID() -> UInt64 {
        defer { nextWaiterID += 1 }
        return nextWaiterID
    }

    /// Runs `action` on the registry after `delay` on the registry's clock, unless the returned task is cancelled or
    /// the registry is gone by then: a pending countdown (a keep-alive) does not keep a dropped registry, and the
    /// engines it holds, alive.
    func schedule(
        after delay: Duration, _ action: @escaping @Sendable (isolated ModelRegistry) async -> Void
    ) -> Task<Void, Never> {
        Task { [clock, weak self] in
            guard (try? await clock.sleep(for: delay)) != nil, let registry = self else { return }
            await action(registry)
        }
    }
}
