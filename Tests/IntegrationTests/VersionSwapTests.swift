import Foundation
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Version swaps on the real ONNX Runtime engine, under continuous requests from several tasks. Version 1.0.0 of
/// "scorer" is logreg_iris.onnx and 2.0.0 is mul_1.onnx: both take a 3×2 float tensor, under different input
/// names, so each answer shows which version gave it. The expected answers come from each model run alone.
@Suite(.timeLimit(.minutes(3))) struct VersionSwapTests {
    private static let rows: [Float] = [5.1, 3.5, 6.7, 3.0, 4.9, 3.1]
    private static let requestTasks = 6

    /// Which version answered a request, told by the engine's input name and checked against that model's output.
    enum Answer: Equatable { case v1([Int64]), v2([Float]) }

    private static func ask(_ engine: any InferenceEngine) async throws -> Answer {
        let onnx = try #require(engine as? OnnxRuntimeEngine)
        let input = try #require(onnx.inputs.first?.name)
        let outputs = try await onnx.run([input: Tensor(shape: [3, 2], floats: rows)])
        if input == "float_input" { return .v1(try #require(outputs["label"]?.tensor?.int64s)) }
        return .v2(try #require(outputs["Y"]?.tensor?.floats))
    }

    /// The answers of each version, from a plain engine loaded outside any registry.
    private static func referenceAnswers() async throws -> (Answer, Answer) {
        func alone(_ file: String) async throws -> Answer {
            let engine = OnnxRuntimeEngine()
            try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: ModelConfiguration(
                name: file, engine: .onnxruntime, modelType: .tensor, path: NativeFixtures.model(file).path, threads: 1)))
            defer { Task { await engine.unload() } }
            return try await ask(engine)
        }
        return (try await alone("logreg_iris.onnx"), try await alone("mul_1.onnx"))
    }

    /// A catalog with scorer 1.0.0 (iris) in production and 2.0.0 (mul) in development.
    private static func catalog(in directory: URL) throws -> ModelCatalog {
        let catalog = try ModelCatalog(fileURL: directory.appendingPathComponent("catalog.json"))
        for (version, file) in [("1.0.0", "logreg_iris.onnx"), ("2.0.0", "mul_1.onnx")] {
            try catalog.register(ModelVersion(
                name: "scorer", version: try SemanticVersion(parsing: version), path: NativeFixtures.model(file).path,
                format: .onnx, modelType: .tensor))
        }
        try catalog.promote(name: "scorer", version: "1.0.0")
        return catalog
    }

    /// Requests from ``requestTasks`` tasks, 200 µs apart, until `stop` is set, then `after` more each; returns
    /// every answer and every failure. (Without the pause a task would never suspend, since a fast ONNX run
    /// completes on the calling thread, and the tasks could hold every thread of the cooperative pool.)
    private static func requests(
        _ registry: ModelRegistry, name: String = "scorer", until stop: Locked<Bool>, after: Int = 20
    ) async -> (answers: [Answer], failures: [String]) {
        await withTaskGroup(of: ([Answer], [String]).self) { group in
            for _ in 0..<requestTasks {
                group.addTask {
                    var (answers, failures, extra) = ([Answer](), [String](), 0)
                    while extra < after, !Task.isCancelled {  // a test cut off by its time limit stops them
                        if stop.withLock({ $0 }) { extra += 1 }
                        do { answers.append(try await registry.withModel(name) { try await ask($0) }) } catch {
                            failures.append("\(error)")
                        }
                        try? await Task.sleep(for: .microseconds(200))
                    }
                    return (answers, failures)
                }
            }
            return await group.reduce(into: ([Answer](), [String]())) { $0.0 += $1.0; $0.1 += $1.1 }
        }
    }

    /// A registry serving the catalog's production version of scorer, loaded.
    private static func serving(
        _ catalog: ModelCatalog, options: RegistryOptions = RegistryOptions()
    ) async throws -> ModelRegistry {
        let registry = ModelRegistry(factory: .builtIn, options: options)
        try await registry.useVersion(of: "scorer", from: catalog) { $0.threads = 1 }
        try await registry.load("scorer")
        return registry
    }

    /// Swaps under requests: starts them, waits 50 ms so they are under way on the serving version, runs `swap`,
    /// then lets every task make its last requests; returns what `swap` returned and the requests' results.
    private static func underRequests<T: Sendable>(
        _ registry: ModelRegistry, _ swap: () async throws -> T
    ) async throws -> (T, answers: [Answer], failures: [String]) {
        let stop = Locked(false)
        async let load = requests(registry, until: stop)  // a child task: cancelled with the test
        try await Task.sleep(for: .milliseconds(50))
        let result: Result<T, any Error>
        do { result = .success(try await swap()) } catch { result = .failure(error) }
        stop.withLock { $0 = true }
        let (answers, failures) = await load
        return (try result.get(), answers, failures)
    }

    /// Collects events until one matches `last`.
    private static func events(
        of registry: ModelRegistry, until last: @escaping @Sendable (RegistryEvent.Kind) -> Bool
    ) -> Task<[RegistryEvent], Never> {
        let stream = registry.events(bufferingPolicy: .unbounded)
        return Task {
            var seen: [RegistryEvent] = []
            for await event in stream {
                seen.append(event)
                if last(event.kind) { break }
            }
            return seen
        }
    }

    @Test func sideBySideSwap_underContinuousRequests_failsNone_andEachAnswerIsOneVersions() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try Self.catalog(in: directory)
        let (v1, v2) = try await Self.referenceAnswers()
        let registry = try await Self.serving(catalog)
        let swapEvents = Self.events(of: registry) { if case .retired = $0 { true } else { false } }
        let (swaps, answers, failures) = try await Self.underRequests(registry) {
            try catalog.promote(name: "scorer", version: "2.0.0")
            return try await registry.refreshVersions()
        }
        let events = await swapEvents.value

        #expect(swaps["scorer"]??.mode == .sideBySide)
        #expect(failures.isEmpty, "first failures: \(failures.prefix(3))")
        #expect(answers.allSatisfy { $0 == v1 || $0 == v2 }, "an answer matched neither version")
        #expect(answers.contains(v1) && answers.contains(v2))
        // After the swap every task made `after` more requests: the last answers all come from 2.0.0.
        #expect(answers.suffix(Self.requestTasks).allSatisfy { $0 == v2 })
        let kinds = events.map(\.kind.label)
        let started = try #require(kinds.firstIndex { $0.hasPrefix("swapStarted") })
        let swapped = try #require(kinds.firstIndex { $0.hasPrefix("swapped") })
        #expect(started < swapped && swapped < kinds.count - 1 && kinds.last == "retired 1.0.0")
        #expect(events[swapped].version == "2.0.0")
        let record = try await registry.record(of: "scorer")
        #expect(record.configuration.version == "2.0.0")
        #expect(record.activeLeases == 0)
        #expect(record.state.kind == .loaded)
        let statistics = await registry.statistics
        #expect(statistics.swaps == 1 && statistics.versions == ["scorer": "2.0.0"])
        await registry.shutdown()
    }

    @Test func failedSwap_leavesTheOldVersionServing_andPublishesTheFailure() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try Self.catalog(in: directory)
        let broken = directory.appendingPathComponent("broken.onnx")
        try Data("not a model".utf8).write(to: broken)
        try catalog.register(ModelVersion(name: "scorer", version: "3.0.0", path: broken.path, format: .onnx, modelType: .tensor))
        let (v1, _) = try await Self.referenceAnswers()
        let registry = try await Self.serving(catalog)
        let swapEvents = Self.events(of: registry) { if case .swapFailed = $0 { true } else { false } }
        let (refresh, answers, failures) = try await Self.underRequests(registry) {
            try catalog.promote(name: "scorer", version: "3.0.0")
            do throws(RegistryError) {
                _ = try await registry.refreshVersions()
                return RegistryError?.none
            } catch { return error }
        }
        let events = await swapEvents.value
        #expect(refresh != nil, "the failed load of 3.0.0 is thrown")

        #expect(failures.isEmpty, "first failures: \(failures.prefix(3))")
        #expect(!answers.isEmpty && answers.allSatisfy { $0 == v1 })
        guard case .swapFailed(let swap, let error) = try #require(events.last).kind else {
            Issue.record("the failure is published")
            return
        }
        #expect(swap.from == "1.0.0" && swap.to == "3.0.0")
        #expect("\(error)".contains("scorer"))
        #expect(try await registry.record(of: "scorer").configuration.version == "1.0.0")
        await registry.shutdown()
    }

    @Test func swap_thatDoesNotFitBesideTheOldVersion_drainsTheOldFirst_andFailsNoRequest() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try Self.catalog(in: directory)
        let (v1, v2) = try await Self.referenceAnswers()
        // What each version holds, seen by a registry without a budget.
        let probe = ModelRegistry(factory: .builtIn)
        try await probe.useVersion(of: "scorer", from: catalog) { $0.threads = 1 }
        let held1 = try #require(try await probe.load("scorer").memoryBytes)
        await probe.shutdown()
        let size2 = try #require(
            try FileManager.default.attributesOfItem(atPath: NativeFixtures.model("mul_1.onnx").path)[.size] as? Int)
        // Each fits alone; both together do not.
        let budget = max(held1, size2) + min(held1, size2) / 2
        let registry = try await Self.serving(catalog, options: RegistryOptions(memoryBudget: budget))
        let (swaps, answers, failures) = try await Self.underRequests(registry) {
            try catalog.promote(name: "scorer", version: "2.0.0")
            return try await registry.refreshVersions()
        }

        #expect(swaps["scorer"]??.mode == .resourcePreserving)
        #expect(failures.isEmpty, "first failures: \(failures.prefix(3))")
        #expect(answers.allSatisfy { $0 == v1 || $0 == v2 })
        #expect(answers.suffix(Self.requestTasks).allSatisfy { $0 == v2 })
        #expect(try await registry.record(of: "scorer").configuration.version == "2.0.0")
        await registry.shutdown()
    }

    @Test func versionByName_servesThatVersionBesideProduction_andAliasesFollowStages() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try Self.catalog(in: directory)
        try catalog.promote(name: "scorer", version: "2.0.0")  // 1.0.0 moves to staging
        let (v1, v2) = try await Self.referenceAnswers()
        let registry = ModelRegistry(factory: .builtIn)
        try await registry.useVersion(of: "scorer", from: catalog) { $0.threads = 1 }

        #expect(try await registry.withModel("scorer") { try await Self.ask($0) } == v2)
        #expect(try await registry.withModel("scorer", version: "1.0.0") { try await Self.ask($0) } == v1)
        #expect(try await registry.withModel("scorer@staging") { try await Self.ask($0) } == v1)
        #expect(try await registry.withModel("scorer@production") { try await Self.ask($0) } == v2)
        let pinned = try await registry.record(of: "scorer@1.0.0")
        #expect(pinned.configuration.version == "1.0.0" && pinned.useCount == 2)
        #expect(pinned.configuration.threads == 1, "a version keeps the model's own settings")
        do {
            _ = try await registry.withModel("scorer", version: "9.9.9") { _ in 0 }
            Issue.record("an unknown version is refused")
        } catch let error as RegistryError {
            #expect("\(error)".contains("9.9.9") && "\(error)".contains("1.0.0") && "\(error)".contains("2.0.0"))
        }
        await registry.shutdown()
    }

    @Test func learnedMemory_isKeptInTheCatalog_andDecidesTheNextAdmission() async throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: directory.appendingPathComponent("catalog.json"))
        let file = NativeFixtures.model("tiny-llama.gguf").path
        try catalog.register(ModelVersion(name: "tiny", version: "1.0.0", path: file, format: .gguf, stage: .production))
        let configure: @Sendable (inout ModelConfiguration) -> Void = {
            $0.contextLength = 512
            $0.threads = 1
        }
        let first = ModelRegistry(factory: .builtIn)
        try await first.useVersion(of: "tiny", from: catalog, configure: configure)
        let held = try #require(try await first.load("tiny").memoryBytes)
        await first.shutdown()
        #expect(try catalog.version(name: "tiny", version: "1.0.0").metadata.loadedMemoryBytes == held)

        // A new registry (a restart) reads the figure: a budget the file fits but the learned figure (weights and
        // KV cache) does not refuses the load, naming the learned figure as what is needed.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        try #require(held > size, "the engine holds more than the file's size (its KV cache)")
        let restarted = ModelRegistry(factory: .builtIn, options: RegistryOptions(memoryBudget: size + (held - size) / 2))
        try await restarted.useVersion(of: "tiny", from: catalog, configure: configure)
        do {
            try await restarted.load("tiny")
            Issue.record("the learned figure does not fit the budget")
        } catch RegistryError.insufficientCapacity(_, let needed, _, _) {
            #expect(needed == held)
        }
        await restarted.shutdown()
    }
}
