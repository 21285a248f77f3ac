import Foundation
import ModelRegistry
import OnnxRuntimeEngine
import Testing

/// Loading, unloading and reloading: the engine's state, health and memory estimate follow the session.
@Suite(.timeLimit(.minutes(2))) struct LifecycleTests {
    let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])

    @Test func run_beforeLoad_throwsNotLoaded() async throws {
        let engine = OnnxRuntimeEngine()
        await #expect(throws: OnnxRuntimeError.notLoaded(model: nil)) { try await engine.run(["X": x]) }
        #expect(await engine.healthCheck() == .unhealthy(reason: "no model loaded"))
        #expect(await engine.memoryFootprint() == nil)
        #expect(engine.inputs.isEmpty && engine.modelInfo == nil)
    }

    @Test func load_opensSession_healthyWithFileSizeAsFootprint() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let size = try FileManager.default.attributesOfItem(atPath: try EngineFixtures.path(EngineFixtures.mul))[.size]
        #expect(await engine.healthCheck() == .healthy)
        #expect(await engine.memoryFootprint() == (size as? NSNumber)?.intValue)
        #expect(engine.isLoaded)
    }

    @Test func run_afterUnload_throwsNotLoadedNamingTheModel() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        _ = try await engine.run(["X": x])
        await engine.unload()
        await #expect(throws: OnnxRuntimeError.notLoaded(model: "mul")) { try await engine.run(["X": x]) }
        #expect(await engine.healthCheck() == .unhealthy(reason: "model \"mul\" was unloaded"))
        #expect(await engine.memoryFootprint() == nil)
        #expect(!engine.isLoaded && engine.outputs.isEmpty)
    }

    @Test func unload_twice_isHarmless() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        await engine.unload()
        await engine.unload()
        #expect(!engine.isLoaded)
    }

    @Test func load_afterUnload_servesTheNewModel() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        await engine.unload()
        let sigmoid = try EngineFixtures.path(EngineFixtures.sigmoid)
        try await engine.load(EngineFixtures.context(name: "sig", path: sigmoid))
        #expect(engine.inputs.map(\.name) == ["x"])
        #expect(await engine.healthCheck() == .healthy)
    }

    @Test func load_whileLoaded_throwsInvalidStateNamingTheState() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let context = EngineFixtures.context(name: "again", path: try EngineFixtures.path(EngineFixtures.mul))
        let expected = OnnxRuntimeError.invalidState(model: "again", operation: "load", state: "serving \"mul\"")
        await #expect(throws: expected) { try await engine.load(context) }
        #expect(try await engine.run(["X": x])["Y"] != nil)
    }

    @Test(arguments: OnnxGraphOptimization.allCases)
    func load_withEachGraphOptimization_givesTheSameResults(level: OnnxGraphOptimization) async throws {
        let engine = try await EngineFixtures.loaded(
            EngineFixtures.mul, parameters: [OnnxGraphOptimization.parameterName: level.rawValue.uppercased()])
        let y = try #require(try await engine.run(["X": x])["Y"]?.tensor?.floats)
        let weights = OnnxReference.model(EngineFixtures.mul).initializers?["W"]?.data.map { Float($0) } ?? []
        #expect(isClose(y, zip(x.floats ?? [], weights).map(*), tolerance: 1e-6))
    }

    @Test func load_unknownGraphOptimization_throwsInvalidParameter() async throws {
        let context = EngineFixtures.context(
            name: "mul", path: try EngineFixtures.path(EngineFixtures.mul), parameters: ["graphOptimization": "max"])
        await #expect(throws: OnnxRuntimeError.invalidParameter(
            model: "mul", name: "graphOptimization", value: "max", allowed: "disable, basic, extended, layout, all")
        ) { try await OnnxRuntimeEngine().load(context) }
    }

    @Test func load_negativeThreads_throwsInvalidParameter() async throws {
        let context = EngineFixtures.context(
            name: "mul", path: try EngineFixtures.path(EngineFixtures.mul), threads: -2)
        await #expect(throws: OnnxRuntimeError.invalidParameter(
            model: "mul", name: "threads", value: "-2", allowed: "0 (ORT's default) or more")
        ) { try await OnnxRuntimeEngine().load(context) }
    }

    @Test func load_withDefaultThreads_loads() async throws {
        let engine = OnnxRuntimeEngine()
        try await engine.load(
            EngineFixtures.context(name: "mul", path: try EngineFixtures.path(EngineFixtures.mul), threads: nil))
        #expect(await engine.healthCheck() == .healthy)
    }
}
