/// What a model does, which together with its ``EngineKind`` selects the engine type that serves it.
///
/// Model types are open, like engine kinds: the common ones are named here.
///
/// ```swift
/// let pair = EnginePair(engine: .llamacpp, modelType: .llm)
/// ```
public struct ModelType: ConfigurationName {
    /// The type's name as written in configuration files, e.g. `"llm"`.
    public let rawValue: String

    /// Creates a model type from its configuration name.
    /// - Parameter rawValue: The name, e.g. `"classifier"`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A text-generating language model.
    public static let llm = ModelType("llm")
    /// A model that turns input into embedding vectors.
    public static let embedding = ModelType("embedding")
    /// A classifier, such as the iris logistic regression.
    public static let classifier = ModelType("classifier")
    /// A general tensor-in, tensor-out model.
    public static let tensor = ModelType("tensor")
}
