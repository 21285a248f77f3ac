import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Load progress events from the real engines, and the configured warm-up.
@Suite(.timeLimit(.minutes(3))) struct LoadProgressTests {
    /// Loads `model` and returns the events of its load, from `loadStarted` to `loaded` or `loadFailed`.
    private static func loadEvents(_ model: ModelConfiguration) async -> [RegistryEvent] {
        let registry = ModelRegistry(factory: .builtIn, models: [model])
        let stream = registry.events(bufferingPolicy: .unbounded)
        let collected = Task {
            var seen: [RegistryEvent] = []
            for await event in stream {
                seen.append(event)
                switch event.kind {
                case .loaded, .loadFailed: return seen
                default: continue
                }
            }
            return seen
        }
        _ = try? await registry.load(model.name)
        let events = await collected.value
        await registry.shutdown()
        return events
    }

    private static func progress(_ events: [RegistryEvent]) -> [LoadProgress] {
        events.compactMap { if case .loadProgress(let progress) = $0.kind { progress } else { nil } }
    }

    @Test func llamaLoad_reportsLibllamasFractions_inOrder_thenWarmsUp_beforeLoaded() async throws {
        let tiny = ModelConfiguration(
            name: "tiny", engine: .llamacpp, modelType: .llm, path: NativeFixtures.model("tiny-llama.gguf").path,
            contextLength: 128, threads: 1, warmUp: "the cat")
        let events = await Self.loadEvents(tiny)
        let steps = Self.progress(events)
        let loading = steps.filter { $0.phase == .loading }.compactMap(\.fraction)
        #expect(loading.count > 2, "libllama's own progress is reported between 0 and 1: \(loading)")
        #expect(loading.last == 1)
        #expect(zip(loading, loading.dropFirst()).allSatisfy { $0 <= $1 }, "fractions never go back: \(loading)")
        #expect(steps.last?.phase == .warmingUp)
        guard case .loaded = try #require(events.last).kind else {
            Issue.record("the load succeeds: \(events.map(\.kind.label))")
            return
        }
        #expect(events.allSatisfy { $0.modelID == events.last?.modelID }, "every step belongs to this load")
    }

    @Test func onnxWarmUpOnZeros_runsBeforeLoaded_andAnUnknownWarmUpFailsTheLoad() async throws {
        var iris = ModelConfiguration(
            name: "iris", engine: .onnxruntime, modelType: .classifier,
            path: NativeFixtures.model("logreg_iris.onnx").path, threads: 1, warmUp: "zeros")
        let events = await Self.loadEvents(iris)
        #expect(Self.progress(events).map(\.phase) == [.warmingUp], "ORT reports no load progress; the warm-up shows")
        guard case .loaded = try #require(events.last).kind else {
            Issue.record("the load succeeds: \(events.map(\.kind.label))")
            return
        }

        iris.warmUp = "hello"
        let failed = await Self.loadEvents(iris)
        guard case .loadFailed(let error) = try #require(failed.last).kind else {
            Issue.record("a warm-up the engine cannot answer fails the load")
            return
        }
        #expect("\(error)".contains("iris") && "\(error)".contains("zeros"))
    }
}
