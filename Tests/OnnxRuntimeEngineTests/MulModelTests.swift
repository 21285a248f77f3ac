import OnnxRuntimeEngine
import Testing

/// mul_1.onnx computes `Y = X * W` elementwise for a 3×2 `X`; `W` is the model's initializer, read from the file
/// with the `onnx` package by `Scripts/onnx_reference.py`.
@Suite(.timeLimit(.minutes(2))) struct MulModelTests {
    let weights = OnnxReference.model(EngineFixtures.mul).initializers?["W"]?.data.map { Float($0) } ?? []

    @Test func run_withFloatInput_multipliesByTheWeights() async throws {
        try #require(weights.count == 6)
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul)
        let inputs: [[Float]] = [[1, 2, 3, 4, 5, 6], [-1.5, 0, 2.25, -3, 1000, 0.001], [0, 0, 0, 0, 0, 0]]
        for x in inputs {
            let outputs = try await engine.run(["X": Tensor(shape: [3, 2], floats: x)])
            let y = try #require(outputs["Y"]?.tensor)
            #expect(y.shape == [3, 2])
            #expect(isClose(try #require(y.floats), zip(x, weights).map(*), tolerance: 1e-6))
        }
    }

    @Test func run_withReferenceInputs_matchesPythonOnnxRuntime() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul)
        for reference in OnnxReference.model(EngineFixtures.mul).cases {
            let x = EngineFixtures.floatTensor(try #require(reference.inputs["X"]))
            let y = try #require(try await engine.run(["X": x])["Y"]?.tensor)
            guard case .tensor(let expected) = try #require(reference.outputs["Y"]) else {
                Issue.record("reference Y is not a tensor")
                return
            }
            #expect(y.shape == expected.shape)
            #expect(isClose(try #require(y.floats), expected.data.map { Float($0) }, tolerance: 1e-6))
        }
    }
}
