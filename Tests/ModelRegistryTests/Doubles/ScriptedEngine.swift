import ModelRegistry
import Foundation
import ModelRegistryTestSupport

/// An engine that follows an ``EngineScript``: it conforms to the real protocol, with controllable delays and
/// failures, and echoes inputs so tests can check that work reached it.
final class ScriptedEngine: InferenceEngine {
    let script: EngineScript
    private let name = Locked<String?>(nil)
    private let bytes = Locked<Int?>(nil)

    init() { script = EngineScript() }
    init(script: EngineScript) { self.script = script }

    func load(_ context: EngineLoadContext) async throws {
        try await script.load(context)
        name.withLock { $0 = context.name }
        bytes.withLock { $0 = context.configuration.parameters["bytes"].flatMap(Int.init) }
    }

    func unload() async {
        if let name = name.withLock({ $0 }) { await script.unload(name) }
    }

    func healthCheck() async -> ModelHealth { script.health(name.withLock { $0 } ?? "") }

    /// Reports the `bytes` parameter of the model's configuration, if any.
    func memoryFootprint() async -> Int? { bytes.withLock { $0 } }

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

    /// A model whose file has `bytes` bytes (sparse), so the registry's estimate before loading is `bytes`.
    static func sizedModel(_ name: String, bytes: Int, pinned: Bool = false) throws -> ModelConfiguration {
        let url = try NativeFixtures.temporaryDirectory().appendingPathComponent("\(name).bin")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(bytes))
        try handle.close()
        var model = Fixture.model(name)
        model.path = url.path
        model.parameters["bytes"] = String(bytes)
        model.pinned = pinned
        return model
    }

    func registry(_ models: [ModelConfiguration], options: RegistryOptions) -> ModelRegistry {
        ModelRegistry(factory: factory(), models: models, options: options, clock: clock)
    }

    func registry(_ names: [String], options: RegistryOptions = RegistryOptions()) -> ModelRegistry {
        ModelRegistry(factory: factory(), models: names.map { Fixture.model($0) }, options: options, clock: clock)
    }
}
