import Foundation
import LlamaEngine
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Requests racing unloads on the real engines: none may fail because its model happens to be unloading.
@Suite(.timeLimit(.minutes(5))) struct UnloadChurnTests {
    private static let leasingTasks = 8
    /// The requests go on until the model has been unloaded this often under them.
    private static let unloadsUnderLoad = 6

    /// Eight tasks lease the model while another unloads it every 20 ms, until it has been unloaded
    /// ``unloadsUnderLoad`` times; returns the requests made, those that failed, the leases left and the loads.
    private func churn(
        _ model: ModelConfiguration, request: @escaping @Sendable (any InferenceEngine) async throws -> Void
    ) async throws -> (requests: Int, failures: [String], leasesLeft: Int, loads: Int) {
        let registry = ModelRegistry(factory: .builtIn, models: [model])
        let events = registry.events(bufferingPolicy: .unbounded)
        let unloads = Locked(0)
        let (loadedSignals, loaded) = AsyncStream.makeStream(of: Void.self)
        let unloadedEvents = Task {
            for await event in events {
                if case .unloaded = event.kind { unloads.withLock { $0 += 1 } }
                if case .loaded = event.kind { loaded.yield() }
            }
            loaded.finish()
        }
        try await registry.load(model.name)
        // Every 20 ms, whatever the model is doing, except right after an unload that cancelled a load: then the
        // next waits for a load to finish first. Otherwise, where a load takes longer than 20 ms (llama under the
        // thread sanitizer), every load would be cancelled and the test would end only by luck.
        let unloader = Task {
            var signals = loadedSignals.makeAsyncIterator()
            var cancelledALoad = false
            while !Task.isCancelled {
                while cancelledALoad, !(await registry.isLoaded(model.name)) {
                    guard await signals.next() != nil else { return }
                }
                try? await Task.sleep(for: .milliseconds(20))
                cancelledALoad = !(await registry.isLoaded(model.name))
                try? await registry.unload(model.name)
            }
        }
        let (requests, failures) = await withTaskGroup(of: (Int, [String]).self) { group in
            for _ in 0..<Self.leasingTasks {
                group.addTask {
                    var (requests, failures) = (0, [String]())
                    while !Task.isCancelled, unloads.withLock({ $0 }) < Self.unloadsUnderLoad {
                        requests += 1
                        do { try await registry.withModel(model.name, request) } catch { failures.append("\(error)") }
                    }
                    return (requests, failures)
                }
            }
            return await group.reduce(into: (0, [String]())) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        unloader.cancel()
        await unloader.value
        let record = try await registry.record(of: model.name)
        await registry.shutdown()
        await unloadedEvents.value
        return (requests, failures, record.activeLeases, record.loadCount)
    }

    @Test func onnxRequests_neverFail_whileAnotherTaskUnloadsEvery20ms() async throws {
        let iris = ModelConfiguration(
            name: "iris", engine: .onnxruntime, modelType: .classifier,
            path: NativeFixtures.model("logreg_iris.onnx").path, threads: 1)
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])
        let result = try await churn(iris) { engine in
            let outputs = try await (engine as! OnnxRuntimeEngine).run(["float_input": rows])
            let labels = try #require(outputs["label"]?.tensor?.int64s)
            #expect(labels.count == 3)
        }
        print("iris churn: \(result.requests) requests, \(result.failures.count) failed, \(result.loads) loads")
        #expect(result.failures.isEmpty, "first failures: \(result.failures.prefix(3))")
        #expect(result.leasesLeft == 0)
        #expect(result.loads >= Self.unloadsUnderLoad, "each unload under the requests but the last is followed by a load")
    }

    @Test func llamaRequests_neverFail_whileAnotherTaskUnloadsEvery20ms() async throws {
        let tiny = ModelConfiguration(
            name: "tiny", engine: .llamacpp, modelType: .llm, path: NativeFixtures.model("tiny-llama.gguf").path,
            contextLength: 128, threads: 1)
        let result = try await churn(tiny) { engine in
            let tokens = try await (engine as! LlamaEngine).tokenize("the cat", addSpecial: false)
            #expect(!tokens.isEmpty)
        }
        print("tiny churn: \(result.requests) requests, \(result.failures.count) failed, \(result.loads) loads")
        #expect(result.failures.isEmpty, "first failures: \(result.failures.prefix(3))")
        #expect(result.leasesLeft == 0)
        #expect(result.loads >= Self.unloadsUnderLoad, "each unload under the requests but the last is followed by a load")
    }
}
