import OnnxRuntimeEngine
import Testing

/// logreg_iris.onnx returns `label` (int64 per row) and `probabilities`, a ZipMap: a sequence with one map from
/// class label to probability per row. References come from ONNX Runtime's Python API (see `OnnxReference`).
@Suite(.timeLimit(.minutes(2))) struct IrisClassifierTests {
    let reference = OnnxReference.model(EngineFixtures.iris)

    @Test func run_onReferenceRows_labelsMatchPython() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        for testCase in reference.cases {
            let rows = EngineFixtures.floatTensor(try #require(testCase.inputs["float_input"]))
            let outputs = try await engine.run(["float_input": rows])
            guard case .tensor(let expected) = try #require(testCase.outputs["label"]) else {
                Issue.record("reference label is not a tensor")
                return
            }
            let labels = try #require(outputs["label"]?.tensor)
            #expect(labels.shape == expected.shape)
            #expect(labels.int64s == expected.data.map { Int64($0) })
        }
    }

    @Test func run_onReferenceRows_probabilitiesMatchPythonWithin1e5() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        for testCase in reference.cases {
            let rows = EngineFixtures.floatTensor(try #require(testCase.inputs["float_input"]))
            let outputs = try await engine.run(["float_input": rows])
            guard case .maps(let expected) = try #require(testCase.outputs["probabilities"]) else {
                Issue.record("reference probabilities are not maps")
                return
            }
            let maps = try #require(outputs["probabilities"]?.sequence).compactMap(\.int64FloatMap)
            #expect(maps.count == expected.count)
            for (map, reference) in zip(maps, expected) {
                #expect(map.keys.sorted() == reference.keys)
                let values = reference.keys.map { map[$0] ?? .nan }
                #expect(isClose(values, reference.values.map { Float($0) }, tolerance: 1e-5))
            }
        }
    }

    @Test func run_everyRow_labelIsTheMostProbableClass() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        let rows = Tensor(shape: [3, 2], floats: [-6, -1, 6.5, -6, 3, 7.5])
        let outputs = try await engine.run(["float_input": rows])
        let labels = try #require(outputs["label"]?.tensor?.int64s)
        let maps = try #require(outputs["probabilities"]?.sequence).compactMap(\.int64FloatMap)
        #expect(maps.count == 3)
        for (label, map) in zip(labels, maps) {
            #expect(map.max { $0.value < $1.value }?.key == label)
            #expect(abs(map.values.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func run_requestingOnlyLabel_returnsOnlyLabel() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.4, 3.2, 6.3, 3.3])
        let outputs = try await engine.run(["float_input": rows], outputs: ["label"])
        #expect(Array(outputs.keys) == ["label"])
    }
}
