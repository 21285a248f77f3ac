import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct LifecycleTests {
    @Test func load_movesThroughLoadingToLoaded_andPublishesEvents() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        let gate = fixture.script.holdLoads(of: "a")

        #expect(try await registry.state(of: "a").kind == .unloaded)
        let loading = Task { try await registry.load("a") }
        await gate.waitForWaiters()
        #expect(try await registry.state(of: "a").kind == .loading)
        gate.open()
        let record = try await loading.value

        #expect(record.state.isLoaded)
        #expect(record.loadCount == 1)
        #expect(record.loadDuration != nil)
        #expect(record.id != nil)
        await log.waitFor("a", "loaded")
        #expect(log.labels() == ["a loadStarted", "a loaded"])
        #expect(log.all.allSatisfy { $0.modelID == record.id && $0.engine == .test && $0.modelType == .llm })
    }

    @Test func unload_movesToUnloaded_andFreesTheEngine() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        let log = EventLog(registry)
        try await registry.load("a")
        try await registry.unload("a")

        #expect(try await registry.state(of: "a").kind == .unloaded)
        #expect(fixture.script.unloads(of: "a") == 1)
        await log.waitFor("a", "unloaded")
        #expect(log.labels() == ["a loadStarted", "a loaded", "a unloadStarted", "a unloaded"])
    }

    @Test func failingLoad_endsFailed_withTheEnginesError() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        fixture.script.failLoads(of: "a")

        await #expect {
            try await registry.load("a")
        } throws: { error in
            guard case RegistryError.loadFailed(let name, let underlying) = error else { return false }
            return name == "a" && "\(underlying)".contains("scripted failure")
        }
        let record = try await registry.record(of: "a")
        #expect(record.state.isFailed)
        #expect(record.failureCount == 1)
        #expect("\(record.state)".contains("scripted failure"))
    }

    @Test func failedWarmUp_failsTheLoad_andUnloadsTheEngineThatLoaded() async throws {
        let fixture = Fixture()
        var model = Fixture.model("a")
        model.warmUp = "hello"  // a ScriptedEngine has no warm-up: it throws WarmUpUnsupported
        let registry = fixture.registry([model], options: RegistryOptions())

        await #expect {
            try await registry.load("a")
        } throws: { error in
            guard case RegistryError.loadFailed(let name, let underlying) = error else { return false }
            return name == "a" && underlying is WarmUpUnsupported
        }
        #expect(fixture.script.loads(of: "a") == 1, "the engine's load succeeded; its warm-up failed")
        #expect(fixture.script.journal(of: "a") == ["load", "unload"], "freed before the load reports its failure")
        #expect(try await registry.state(of: "a").isFailed)
    }

    @Test func failedModel_canBeRetriedAtOnceWithRetry() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a"])
        fixture.script.failLoads(of: "a")
        _ = try? await registry.load("a")

        let record = try await registry.retry("a")
        #expect(record.state.isLoaded)
        #expect(record.failureCount == 1)
        #expect(record.consecutiveFailures == 0)
        #expect(record.loadCount == 1)
    }

    @Test func reload_getsANewPrivateID() async throws {
        let registry = Fixture().registry(["a"])
        let first = try await registry.load("a").id
        try await registry.unload("a")
        let second = try await registry.load("a").id
        #expect(first != nil && second != nil && first != second)
    }

    @Test func engine_receivesThePublicNameAndConfiguration() async throws {
        let fixture = Fixture()
        var model = Fixture.model("public-name")
        model.path = "/models/a-file-named-otherwise.bin"
        model.threads = 3
        model.parameters = ["seed": "9"]
        let registry = ModelRegistry(factory: fixture.factory(), models: [model], clock: fixture.clock)
        let record = try await registry.load("public-name")
        let context = try #require(fixture.script.contexts.first)
        #expect(fixture.script.contexts.count == 1)
        #expect(context.name == "public-name")
        #expect(context.configuration == model)
        #expect(context.modelID == record.id)
    }

    @Test func unknownModel_errorListsAvailableNames() async throws {
        let registry = Fixture().registry(["b", "a"])
        await #expect {
            try await registry.load("zzz")
        } throws: { error in
            "\(error)" == "model \"zzz\" not found; available: a, b"
        }
    }

    @Test func unregisteredEnginePair_errorListsRegisteredPairs() async throws {
        let registry = ModelRegistry(factory: Fixture().factory(), models: [
            ModelConfiguration(name: "x", engine: .onnxruntime, modelType: .classifier, path: "/x.onnx"),
        ])
        await #expect {
            try await registry.load("x")
        } throws: { error in
            guard case RegistryError.engineNotRegistered(let model, let pair, let registered) = error else { return false }
            return model == "x" && pair.description == "onnxruntime/classifier"
                && registered.map(\.description) == ["test/embedding", "test/llm"]
        }
        #expect(try await registry.state(of: "x").isFailed)
    }

    @Test func register_duplicateName_isRejected() async throws {
        let registry = Fixture().registry(["a"])
        await #expect(throws: RegistryError.self) { try await registry.register(Fixture.model("a")) }
        try await registry.register(Fixture.model("b"))
        #expect(await registry.availableModels == ["a", "b"])
    }

    @Test func unregister_unloadsAndRemovesTheModel() async throws {
        let fixture = Fixture()
        let registry = fixture.registry(["a", "b"])
        try await registry.load("a")
        try await registry.unregister("a")
        #expect(await registry.availableModels == ["b"])
        #expect(fixture.script.unloads(of: "a") == 1)
    }
}
