/// Maps an (engine kind, model type) pair to the concrete ``InferenceEngine`` type that serves it.
///
/// Registration is explicit and typed: the factory stores a constructor for each pair and refuses pairs it does
/// not know with an error that lists the pairs it does. It also keeps each engine type's
/// ``InferenceEngine/parameterKeys``, to refuse a model whose `parameters` hold a key its engine does not read.
///
/// ```swift
/// var factory = EngineFactory()
/// factory.register(OnnxRuntimeEngine.self, engine: .onnxruntime, modelType: .classifier)
/// let registry = ModelRegistry(factory: factory)
/// ```
public struct EngineFactory: Sendable {
    private var constructors: [EnginePair: @Sendable () -> any InferenceEngine] = [:]
    /// The parameter keys of each pair's engine type, for the types that declare them.
    private var parameterKeys: [EnginePair: Set<String>] = [:]

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
        parameterKeys[pair] = Engine.parameterKeys
    }

    /// The pairs that have an engine type, in a stable order.
    public var registeredPairs: [EnginePair] { constructors.keys.sorted() }

    /// The engine kinds with at least one registered pair.
    public var registeredEngines: Set<EngineKind> { Set(constructors.keys.map(\.engine)) }

    /// The parameter keys the engine type registered for a pair reads, or `nil` when it accepts any key or no engine
    /// type serves the pair.
    /// - Parameter pair: An (engine kind, model type) pair.
    /// - Returns: The keys (see ``InferenceEngine/parameterKeys``).
    public func parameterKeys(for pair: EnginePair) -> Set<String>? { parameterKeys[pair] }

    /// Checks that every key of a model's `parameters` is one its engine type reads. A model whose pair has no
    /// engine type, or whose engine type accepts any key, passes.
    ///
    /// ```swift
    /// // "graphOptimisation" is refused: model "iris": unknown parameter "graphOptimisation" for onnxruntime; known: …
    /// try factory.checkParameters(of: configuration)
    /// ```
    /// - Parameter configuration: The model's configuration.
    /// - Throws: ``RegistryError/unknownParameter(model:key:engine:known:)`` for the first unknown key (in sorted
    ///   order), listing the keys the engine reads.
    public func checkParameters(of configuration: ModelConfiguration) throws(RegistryError) {
        guard let known = parameterKeys[configuration.pair],
              let unknown = configuration.parameters.keys.sorted().first(where: { !known.contains($0) })
        else { return }
        throw .unknownParameter(model: configuration.name, key: unknown, engine: configuration.engine, known: known.sorted())
    }

    /// Creates a new, unloaded engine for a model, after checking its parameters (see ``checkParameters(of:)``).
    /// - Parameter configuration: The model's configuration; its pair selects the engine type.
    /// - Returns: The engine.
    /// - Throws: ``RegistryError/engineNotRegistered(model:pair:registered:)`` when no engine type serves the pair;
    ///   ``RegistryError/unknownParameter(model:key:engine:known:)`` for a parameter the engine does not read.
    public func makeEngine(for configuration: ModelConfiguration) throws(RegistryError) -> any InferenceEngine {
        guard let make = constructors[configuration.pair] else {
            throw .engineNotRegistered(model: configuration.name, pair: configuration.pair, registered: registeredPairs)
        }
        try checkParameters(of: configuration)
        return make()
    }
}
