import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct ConfigurationTests {
    private func write(_ json: String) throws -> URL {
        let folder = try NativeFixtures.temporaryDirectory()
        let url = folder.appendingPathComponent("models.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    private func expectConfigurationError(
        _ json: String, model: String?, field: String?, reasonContains: String
    ) throws {
        let url = try write(json)
        #expect {
            try RegistryConfiguration.load(contentsOf: url)
        } throws: { error in
            guard case RegistryError.invalidConfiguration(let file, let m, let f, let reason) = error else { return false }
            return file == url.path && m == model && f == field && reason.contains(reasonContains)
        }
    }

    @Test func validFile_isRead_withDefaultsAndRelativePathsResolved() throws {
        let url = try write("""
            {"defaultModel": "iris",
             "models": {
               "iris": {"engine": "onnxruntime", "type": "classifier", "path": "models/iris.onnx", "maxWorkers": 2},
               "tiny": {"engine": "llamacpp", "type": "llm", "path": "/abs/tiny.gguf", "contextLength": 128,
                        "threads": 2, "preload": true, "loadTimeoutSeconds": 1.5, "parameters": {"seed": "42"}}
             }}
            """)
        let configuration = try RegistryConfiguration.load(contentsOf: url)
        #expect(configuration.defaultModel == "iris")
        #expect(configuration.models.map(\.name) == ["iris", "tiny"])
        let iris = configuration.models[0]
        #expect(iris.path == url.deletingLastPathComponent().appendingPathComponent("models/iris.onnx").path)
        #expect(iris.maxWorkers == 2 && iris.queueCapacity == 64 && iris.preload == false)
        let tiny = configuration.models[1]
        #expect(tiny.path == "/abs/tiny.gguf")
        #expect(tiny.contextLength == 128 && tiny.threads == 2 && tiny.preload)
        #expect(tiny.loadTimeout == .milliseconds(1500))
        #expect(tiny.parameters == ["seed": "42"])
    }

    @Test func encodedConfiguration_decodesToTheSameValue() throws {
        let original = RegistryConfiguration(models: [Fixture.model("a"), Fixture.model("b")], defaultModel: "b")
        let decoded = try RegistryConfiguration.decode(try original.encoded(), file: "memory")
        #expect(decoded == original)
    }

    @Test func badJSON_namesTheFile() throws {
        try expectConfigurationError("{\"models\": {", model: nil, field: nil, reasonContains: "not valid JSON")
    }

    @Test func missingField_namesTheModelAndField() throws {
        try expectConfigurationError(
            #"{"models": {"iris": {"engine": "onnxruntime", "type": "classifier"}}}"#,
            model: "iris", field: "path", reasonContains: "required field is missing")
    }

    @Test func mistypedField_namesTheModelAndField() throws {
        try expectConfigurationError(
            #"{"models": {"iris": {"engine": "onnxruntime", "type": "classifier", "path": "x", "maxWorkers": "two"}}}"#,
            model: "iris", field: "maxWorkers", reasonContains: "expected Int")
    }

    @Test func unknownEngine_isRefusedByTheRegistry_namingTheModelAndTheRegisteredPairs() throws {
        let url = try write(#"{"models": {"m": {"engine": "tensorflow", "type": "llm", "path": "x"}}}"#)
        let configuration = try RegistryConfiguration.load(contentsOf: url)
        let factory = Fixture().factory()
        #expect {
            try ModelRegistry(factory: factory, configuration: configuration)
        } throws: { error in
            guard case RegistryError.engineNotRegistered(let model, let pair, let registered) = error else { return false }
            return model == "m" && pair.engine.rawValue == "tensorflow" && registered == factory.registeredPairs
                && "\(error)".contains("no engine registered for tensorflow/llm")
        }
    }

    @Test func badValues_areRejected() throws {
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "maxWorkers": 0}}}"#,
            model: "m", field: "maxWorkers", reasonContains: "at least 1")
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "threads": -2}}}"#,
            model: "m", field: "threads", reasonContains: "at least 1")
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "parallel": 0}}}"#,
            model: "m", field: "parallel", reasonContains: "at least 1")
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "loadTimeoutSeconds": 0}}}"#,
            model: "m", field: "loadTimeoutSeconds", reasonContains: "positive")
        // seconds past what milliseconds in an Int64 hold are an error, not an overflow trap
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "loadTimeoutSeconds": 1e16}}}"#,
            model: "m", field: "loadTimeoutSeconds", reasonContains: "out of range")
        try expectConfigurationError(
            #"{"models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x", "keepAlive": 1e300}}}"#,
            model: "m", field: "keepAlive", reasonContains: "number of seconds")
    }

    @Test func everyField_isAFileKey_andAFullyFilledConfigurationWritesThemAll() throws {
        let model = ModelConfiguration(
            name: "m", engine: .llamacpp, modelType: .llm, path: "/m.gguf", contextLength: 1, threads: 1,
            batchSize: 1, parallel: 2, preload: true, loadTimeout: .seconds(1), parameters: ["k": "v"],
            keepAlive: .forever, pinned: true, sha256: "00", version: "1.0.0", warmUp: "hello")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any]
        #expect(Set(try #require(object).keys) == Set(ModelConfiguration.Field.allCases.map(\.rawValue)))
        #expect(ModelRegistry.liveConfigurationFields == [
            .keepAlive, .pinned, .loadTimeoutSeconds, .preload, .sha256, .version, .warmUp,
        ])
    }

    @Test(arguments: [
        (#""maxConcurrentDownloads": 0"#, "maxConcurrentDownloads", "at least 1"),
        (#""downloadRetries": -1"#, "downloadRetries", "0 or more"),
        (#""downloadIdleTimeoutSeconds": 0"#, "downloadIdleTimeoutSeconds", "positive"),
        (#""downloadDeadlineSeconds": -5"#, "downloadDeadlineSeconds", "positive"),
        (#""maxConcurrentLoads": 0"#, "maxConcurrentLoads", "at least 1"),
        (#""maxLoadedModels": 0"#, "maxLoadedModels", "at least 1"),
        (#""memoryBudgetBytes": -1"#, "memoryBudgetBytes", "positive"),
        (#""healthCheckIntervalSeconds": 0"#, "healthCheckIntervalSeconds", "positive"),
        (#""defaultLoadTimeoutSeconds": -1"#, "defaultLoadTimeoutSeconds", "positive"),
        (#""unloadDrainTimeoutSeconds": -1"#, "unloadDrainTimeoutSeconds", "0 or more"),
        (#""capacityWaitTimeoutSeconds": -2"#, "capacityWaitTimeoutSeconds", "0 or more"),
        (#""retryInitialSeconds": -1"#, "retryInitialSeconds", "0 or more"),
        (#""defaultLoadTimeoutSeconds": 1e300"#, "defaultLoadTimeoutSeconds", "out of range"),
    ])
    func badRegistrySettings_areConfigurationErrorsNamingTheFieldNotCrashesOrHangs(
        setting: String, field: String, reason: String
    ) throws {
        try expectConfigurationError(
            #"{"registry": {"# + setting + #"}, "models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x"}}}"#,
            model: nil, field: field, reasonContains: reason)
    }

    @Test func anEntryWhoseNameDiffersFromItsKey_isRejected_soNoTwoEntriesShareAName() throws {
        try expectConfigurationError(
            #"{"models": {"a": {"name": "b", "engine": "llamacpp", "type": "llm", "path": "x"}, "b": {"engine": "llamacpp", "type": "llm", "path": "y"}}}"#,
            model: "a", field: "name", reasonContains: #"is "b", but the entry's key names the model"#)
        let twice = RegistryConfiguration(models: [Fixture.model("a"), Fixture.model("a")])
        #expect(throws: EncodingError.self) { try twice.encoded() }
    }

    @Test func downloadDeadline_isReadInSeconds() throws {
        let url = try write(#"{"registry": {"downloadDeadlineSeconds": 90}, "models": {}}"#)
        #expect(try RegistryConfiguration.load(contentsOf: url).options.downloadDeadline == .seconds(90))
    }

    @Test func unknownDefaultModel_isRejected() throws {
        try expectConfigurationError(
            #"{"defaultModel": "nope", "models": {"m": {"engine": "llamacpp", "type": "llm", "path": "x"}}}"#,
            model: nil, field: "defaultModel", reasonContains: "\"nope\" is not a configured model; configured: m")
    }

    @Test func missingFile_isAClearError() {
        let url = URL(fileURLWithPath: "/nonexistent/models.json")
        #expect {
            try RegistryConfiguration.load(contentsOf: url)
        } throws: { error in
            "\(error)".hasPrefix("configuration /nonexistent/models.json: cannot read the file")
        }
    }
}
