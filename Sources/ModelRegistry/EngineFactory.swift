/// Maps an (engine kind, model type) pair to the concrete ``InferenceEngine`` type that serves it.
///
/// Registration is explicit and typed: the factory stores a constructor for each pair and refuses pairs it does
/// not know with an error that lists the pairs it does.
///
/// ```swift
/// var factory = EngineFactory()
/// factory.register(OnnxRuntimeEngine.self, engine: .onnxruntime, modelType: .classifier)
/// let registry = ModelRegistry(factory: factory)
/// ```
public struct EngineFactory: Sendable {
    private var constructors: [EnginePair: @Sendable () -> any InferenceEngine] = [:]

    /// Creates an empty factory.
    public init() {}

    /// Registers an engine type for a pair, created with its `init()`. A later registration for the same pair
    /// replaces the earlier one.
    /// - Parameters:
    ///   - type: The engine type.
    ///   - engine: The engine kind.
    ///   - modelType: The model type.
    public mutating func register<Engine: InferenceEngine>(
        _ type: Engine.Type, engine: EngineKind, modelType: ModelType
    ) {
        register(type, engine: engine, modelType: modelType) { Engine() }
    }

    /// Registers an engine type for a pair, created by a closure (for engines that need dependencies).
    /// - Parameters:
    ///   - type: The engine type.
    ///   - engine: The engine kind.
    ///   - modelType: The model type.
    ///   - make: Creates a new, unloaded engine.
    public mutating func register<Engine: InferenceEngine>(
        _ type: Engine.Type, engine: EngineKind, modelType: ModelType, make: @escaping @Sendable () -> Engine
    ) {
        let pair = EnginePair(engine: engine, modelType: modelType)
        constructors[pair] = make
    }

    /// The pairs that have an engine type, in a stable order.
    public var registeredPairs: [EnginePair] { constructors.keys.sorted() }

    /// The engine kinds with at least one registered pair.
    public var registeredEngines: Set<EngineKind> { Set(constructors.keys.map(\.engine)) }

    /// Creates a new, unloaded engine for a model.
    /// - Parameter configuration: The model's configuration; its pair selects the engine type.
    /// - Returns: The engine.
    /// - Throws: ``RegistryError/engineNotRegistered(model:pair:registered:)`` when no engine type serves the pair.
    public func makeEngine(for configuration: ModelConfiguration) throws(RegistryError) -> any InferenceEngine {
        guard let make = constructors[configuration.pair] else {
            throw .engineNotRegistered(model: configuration.name, pair: configuration.pair, registered: registeredPairs)
        }
        return make()
    }
}
