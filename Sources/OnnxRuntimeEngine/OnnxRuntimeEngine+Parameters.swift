import ModelPreflight

// MARK: - Parameters

extension OnnxRuntimeEngine {
    /// The keys the engine reads from a model's `parameters`: `graphOptimization`, `inlineRunMicroseconds`,
    /// `threadPool`, `executionProviders` and `zipMap`, and the preflight's `preflight`, `preflightExecutable` and
    /// `preflightCache`. The registry refuses a model with any other key (see `EngineFactory.checkParameters(of:)`).
    public static let parameterKeys: Set<String>? = LoadSettings.parameterKeys.union(PreflightOptions.parameterKeys)
}
