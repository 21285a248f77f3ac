import ModelRegistry
import ModelRegistryTestSupport

/// An engine that follows an ``EngineScript``: it conforms to the real protocol, with controllable delays and
/// failures, and echoes inputs so tests can check that work reached it.
final class ScriptedEngine: InferenceEngine {
    let script: EngineScript
    private let name = Locked<String?>(nil)

    init() { script = EngineScript() }
    init(script: EngineScript) { self.script = script }

    func load(_ context: EngineLoadContext) async throws {
        try await script.load(context)
        name.withLock { $0 = context.name }
    }

    func unload() async {
        if let name = name.withLock({ $0 }) { script.unload(name) }
    }

    func healthCheck() async -> ModelHealth { script.health(name.withLock { $0 } ?? "") }

    /// Echoes the input, tagged with the model's name.
    func echo(_ value: Int) -> String { "\(name.withLock { $0 } ?? "?"):\(value)" }
}

/// A second engine type, to check type mismatches.
final class OtherEngine: InferenceEngine {
    init() {}
    func load(_ context: EngineLoadContext) async throws {}
    func unload() async {}
    func healthCheck() async -> ModelHealth { .healthy }
}

extension EngineKind {
    static let test = EngineKind("test")
}

/// Builds registries over scripted engines.
struct Fixture {
    let script = EngineScript()
    let clock = ManualClock()

    func factory() -> EngineFactory {
        var factory = EngineFactory()
        factory.register(ScriptedEngine.self, engine: .test, modelType: .llm) { [script] in
            ScriptedEngine(script: script)
        }
        factory.register(OtherEngine.self, engine: .test, modelType: .embedding)
        return factory
    }

    static func model(_ name: String, type: ModelType = .llm, workers: Int = 1, queue: Int = 8) -> ModelConfiguration {
        ModelConfiguration(
            name: name, engine: .test, modelType: type, path: "/models/\(name).bin", maxWorkers: workers,
            queueCapacity: queue)
    }

    func registry(_ names: [String], options: RegistryOptions = RegistryOptions()) -> ModelRegistry {
        ModelRegistry(factory: factory(), models: names.map { Fixture.model($0) }, options: options, clock: clock)
    }
}
