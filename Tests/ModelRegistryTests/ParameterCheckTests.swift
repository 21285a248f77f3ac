import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// An engine that declares the parameters it reads, as the built-in engines do.
private final class KeyedEngine: InferenceEngine {
    static let parameterKeys: Set<String>? = ["beta", "alpha"]
    init() {}
    func load(_ context: EngineLoadContext) async throws {}
    func unload() async {}
    func healthCheck() async -> ModelHealth { .healthy }
}

private extension EngineKind {
    static let keyed = EngineKind("keyed")
}

/// A model's `parameters` are checked against the keys its engine reads, wherever a model enters the registry. The
/// real engines' key sets are tested in `IntegrationTests/EngineParameterTests`.
@Suite(.timeLimit(.minutes(1))) struct ParameterCheckTests {
    private let factory: EngineFactory = {
        var factory = Fixture().factory()
        factory.register(KeyedEngine.self, engine: .keyed, modelType: .tensor)
        return factory
    }()

    private func model(_ name: String, _ parameters: [String: String]) -> ModelConfiguration {
        ModelConfiguration(name: name, engine: .keyed, modelType: .tensor, path: "/models/\(name).bin", parameters: parameters)
    }

    private func isUnknown(_ error: any Error, model: String, key: String) -> Bool {
        guard case RegistryError.unknownParameter(let m, let k, let engine, let known) = error else { return false }
        return m == model && k == key && engine == .keyed && known == ["alpha", "beta"]
    }

    @Test func configuration_withAnUnknownKey_isRefused_namingTheModelTheKeyAndTheKnownKeys() throws {
        let configuration = RegistryConfiguration(models: [model("ok", ["alpha": "1"]), model("typo", ["alpah": "1"])])
        #expect {
            try ModelRegistry(factory: factory, configuration: configuration)
        } throws: { error in
            isUnknown(error, model: "typo", key: "alpah")
                && "\(error)" == #"model "typo": unknown parameter "alpah" for keyed; known: alpha, beta"#
        }
        #expect(throws: Never.self) {
            try ModelRegistry(factory: factory, configuration: RegistryConfiguration(models: [model("ok", ["alpha": "1", "beta": "2"])]))
        }
    }

    @Test func register_andUpdateConfiguration_refuseAnUnknownKey() async throws {
        let registry = ModelRegistry(factory: factory)
        await #expect { try await registry.register(model("m", ["gamma": "1"])) } throws: { isUnknown($0, model: "m", key: "gamma") }
        #expect(await registry.availableModels.isEmpty)

        try await registry.register(model("m", ["beta": "1"]))
        await #expect {
            try await registry.updateConfiguration("m") { $0.parameters["betta"] = "2" }
        } throws: { isUnknown($0, model: "m", key: "betta") }
        #expect(try await registry.configuration(of: "m").parameters == ["beta": "1"])
    }

    @Test func modelGivenToThePlainInitializer_failsItsLoadWithTheSameError() async throws {
        let registry = ModelRegistry(factory: factory, models: [model("m", ["alpha": "1", "zeta": "2"])])
        await #expect { try await registry.load("m") } throws: { isUnknown($0, model: "m", key: "zeta") }
        #expect(try await registry.state(of: "m").isFailed)
    }

    @Test func engineThatDeclaresNoKeys_acceptsAnyKey() async throws {
        var model = Fixture.model("free")
        model.parameters = ["anything": "goes"]
        let registry = try ModelRegistry(factory: factory, configuration: RegistryConfiguration(models: [model]))
        try await registry.load("free")
        #expect(factory.parameterKeys(for: model.pair) == nil)
        #expect(factory.parameterKeys(for: EnginePair(engine: .keyed, modelType: .tensor)) == ["alpha", "beta"])
    }
}
