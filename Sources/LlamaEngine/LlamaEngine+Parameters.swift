import ModelPreflight

// MARK: - Parameters

extension LlamaEngine {
    /// The keys the engine reads from a model's `parameters`: `chatTemplate`, `gpuLayers`, `mmap`, `pooling` and
    /// `seed` (see the table above), and the preflight's `preflight`, `preflightExecutable` and `preflightCache`.
    /// The registry refuses a model with any other key (see `EngineFactory.checkParameters(of:)`).
    public static let parameterKeys: Set<String>? = LlamaLoadOptions.parameterKeys.union(PreflightOptions.parameterKeys)
}
