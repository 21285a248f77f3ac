/// An (engine, model type) pair: the key under which an ``EngineFactory`` registers an engine type.
public struct EnginePair: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The engine kind.
    public var engine: EngineKind
    /// The model type.
    public var modelType: ModelType

    /// Creates a pair.
    /// - Parameters:
    ///   - engine: The engine kind.
    ///   - modelType: The model type.
    public init(engine: EngineKind, modelType: ModelType) {
        self.engine = engine
        self.modelType = modelType
    }

    /// `engine/modelType`, e.g. `llamacpp/llm`.
    public var description: String { "\(engine)/\(modelType)" }

    /// Orders pairs by engine, then model type.
    public static func < (lhs: EnginePair, rhs: EnginePair) -> Bool {
        (lhs.engine, lhs.modelType) < (rhs.engine, rhs.modelType)
    }
}
