import ModelRegistry

/// A placeholder engine value for tests of structures that only carry an engine (the lifecycle state machine, the
/// lease table): it loads, unloads and answers health checks doing nothing.
final class InertEngine: InferenceEngine {
    init() {}
    func load(_ context: EngineLoadContext) async throws {}
    func unload() async {}
    func healthCheck() async -> ModelHealth { .healthy }
}
