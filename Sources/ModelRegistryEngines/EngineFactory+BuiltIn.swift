public import ModelRegistry
import LlamaEngine
import OnnxRuntimeEngine

extension EngineFactory {
    /// A factory with the built-in engines registered:
    /// - `onnxruntime` / `classifier`, `tensor`, `embedding` → `OnnxRuntimeEngine`
    /// - `llamacpp` / `llm`, `embedding` → `LlamaEngine`
    ///
    /// ```swift
    /// import ModelRegistry
    /// import ModelRegistryEngines
    ///
    /// let registry = try ModelRegistry(factory: .builtIn, configuration: try .load(contentsOf: url))
    /// ```
    public static let builtIn: EngineFactory = {
        var factory = EngineFactory()
        for modelType in [ModelType.classifier, .tensor, .embedding] {
            factory.register(OnnxRuntimeEngine.self, engine: .onnxruntime, modelType: modelType)
        }
        for modelType in [ModelType.llm, .embedding] {
            factory.register(LlamaEngine.self, engine: .llamacpp, modelType: modelType)
        }
        return factory
    }()
}
