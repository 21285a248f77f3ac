import Foundation
import OnnxRuntimeEngine
import Testing

/// sigmoid.onnx applies `1 / (1 + exp(-x))` to a 3×4×5 tensor; expected values are computed here in Swift.
@Suite(.timeLimit(.minutes(2))) struct SigmoidModelTests {
    @Test func run_overARange_matchesTheLogisticFunction() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.sigmoid)
        let x = (0..<60).map { Float(-8 + 16 * Double($0) / 59) }
        let outputs = try await engine.run(["x": Tensor(shape: [3, 4, 5], floats: x)])
        let y = try #require(outputs["y"]?.tensor)
        #expect(y.shape == [3, 4, 5])
        let expected = x.map { Float(1 / (1 + exp(-Double($0)))) }
        #expect(isClose(try #require(y.floats), expected, tolerance: 1e-6))
    }

    @Test func run_atZeroAndExtremes_givesHalfAndSaturates() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.sigmoid)
        var x = [Float](repeating: 0, count: 60)
        x[1] = 50
        x[2] = -50
        let y = try #require(try await engine.run(["x": Tensor(shape: [3, 4, 5], floats: x)])["y"]?.tensor?.floats)
        #expect(y[0] == 0.5)
        #expect(abs(y[1] - 1) < 1e-6)
        #expect(y[2] >= 0 && y[2] < 1e-6)
    }
}
