import Synchronization

/// A lease on a loaded model: while it is held the model is not unloaded.
///
/// Take one with ``ModelRegistry/get(_:)``, use ``engine`` and call ``release()`` when done. Prefer
/// ``ModelRegistry/withModel(_:isolation:_:)``, which releases for you. A lease that is dropped without
/// `release()` is released in the background when it is deallocated, so it cannot pin a model forever.
///
/// ```swift
/// let lease = try await registry.get("iris")
/// defer { Task { await lease.release() } }
/// let engine = try lease.engine(as: OnnxRuntimeEngine.self)
/// ```
public final class ModelLease: Sendable {
    /// The model's public name.
    public let name: String
    /// The private id of the load this lease belongs to.
    public let modelID: ModelID
    /// The loaded engine.
    public let engine: any InferenceEngine
    private let registry: ModelRegistry
    private let released = Atomic(false)

    init(name: String, modelID: ModelID, engine: any InferenceEngine, registry: ModelRegistry) {
        self.name = name
        self.modelID = modelID
        self.engine = engine
        self.registry = registry
    }

    /// The engine as its concrete type.
    /// - Parameter type: The engine type expected.
    /// - Returns: The engine.
    /// - Throws: ``RegistryError/engineTypeMismatch(name:expected:actual:)`` when the model runs on another type.
    public func engine<Engine: InferenceEngine>(as type: Engine.Type) throws(RegistryError) -> Engine {
        try Self.cast(engine, of: name, to: type)
    }

    /// Casts a model's engine to the concrete type a caller expects.
    static func cast<Engine: InferenceEngine>(
        _ engine: any InferenceEngine, of name: String, to type: Engine.Type
    ) throws(RegistryError) -> Engine {
        guard let typed = engine as? Engine else {
            throw .engineTypeMismatch(
                name: name, expected: String(describing: type), actual: String(describing: Swift.type(of: engine)))
        }
        return typed
    }

    /// Ends the lease. Calling it again does nothing.
    public func release() async {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // as `endLease` does, without its async call (an executor check) when the actor need not hear of it
        let outcome = registry.leaseTable.release(name, id: modelID)
        if outcome != .quiet { await registry.leaseEnded(name, outcome) }
    }

    /// Whether ``release()`` has run.
    public var isReleased: Bool { released.load(ordering: .acquiring) }

    deinit {
        guard !released.load(ordering: .acquiring) else { return }
        let outcome = registry.leaseTable.release(name, id: modelID)
        guard outcome != .quiet else { return }
        Task { [registry, name] in await registry.leaseEnded(name, outcome) }
    }
}
