import Foundation
import OnnxRuntimeEngine
import Testing

/// Final ZipMaps built in Swift from the tensor the ZipMap reads (the default, `zipMap: swift`) against ORT's own
/// kernel read through the C API (`zipMap: onnxruntime`) and against onnxruntime's Python API: equal values, keys
/// in ORT's order, the last column for a label given twice, and the model's declared outputs unchanged.
@Suite(.timeLimit(.minutes(2))) struct ZipMapTests {
    static let generated = ["zipmap_int64", "zipmap_strings"]

    /// The same input through both ways of building the maps.
    private func bothWays(
        load: ([String: String]) async throws -> OnnxRuntimeEngine, inputs: [String: Tensor],
        outputs: [String]? = nil
    ) async throws -> (swift: [String: OnnxValue], onnxruntime: [String: OnnxValue]) {
        let swift = try await load([:])
        let native = try await load(["zipMap": "onnxruntime"])
        let result = (try await swift.run(inputs, outputs: outputs), try await native.run(inputs, outputs: outputs))
        await swift.unload()
        await native.unload()
        return result
    }

    @Test func iris_mapsBuiltInSwift_equalOnnxRuntimesZipMap() async throws {
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.4, 3.2, -6, 7.5])
        let (swift, native) = try await bothWays(
            load: { try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris", parameters: $0) },
            inputs: ["float_input": rows])
        #expect(Set(swift.keys) == ["label", "probabilities"])
        #expect(try #require(swift["probabilities"]?.sequence).count == 3)
        #expect(swift == native)
    }

    @Test(arguments: generated)
    func generatedModel_mapsBuiltInSwift_equalOnnxRuntimesZipMap(model: String) async throws {
        let reference = try #require(try GeneratedModels.zipMapCases()[model])
        let x = Tensor(shape: reference.shape, floats: reference.input)
        let (swift, native) = try await bothWays(
            load: { try await GeneratedModels.loaded("\(model).onnx", name: model, parameters: $0) },
            inputs: ["X": x])
        #expect(swift == native)
        // Asking for the maps alone takes the same way.
        let (onlyMaps, onlyMapsNative) = try await bothWays(
            load: { try await GeneratedModels.loaded("\(model).onnx", name: model, parameters: $0) },
            inputs: ["X": x], outputs: ["P"])
        #expect(Array(onlyMaps.keys) == ["P"])
        #expect(onlyMaps == onlyMapsNative)
    }

    @Test(arguments: generated)
    func generatedModel_maps_matchPythonInKeyOrder(model: String) async throws {
        let reference = try #require(try GeneratedModels.zipMapCases()[model])
        let engine = try await GeneratedModels.loaded("\(model).onnx", name: model)
        let outputs = try await engine.run(["X": Tensor(shape: reference.shape, floats: reference.input)])
        #expect(outputs["L"]?.tensor?.int64s == reference.label)
        let maps = try #require(outputs["P"]?.sequence)
        #expect(maps.count == reference.maps.count)
        for (map, expected) in zip(maps, reference.maps) {
            guard case .map(let keys, let values) = map else {
                Issue.record("\(map) is not a map")
                continue
            }
            let expectedKeys = expected.map(\.key)
            let keysGiven: [GeneratedModels.ZipMapCase.Key] =
                keys.int64s.map { $0.map { .int64($0) } } ?? keys.strings.map { $0.map { .string($0) } } ?? []
            #expect(keysGiven == expectedKeys)
            #expect(isClose(try #require(values.floats), expected.map(\.value), tolerance: 1e-6))
        }
    }

    @Test func rewrittenModel_declaresOnlyItsOwnOutputs_andWithRunGetsTheZipMapsOutputNotItsInput() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        #expect(engine.outputs.map(\.name) == ["label", "probabilities"])
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.4, 3.2, 6.3, 3.3])
        let names = try await engine.withRun(["float_input": rows]) { outputs in
            #expect(outputs["probabilities"]?.tensorType == nil)  // a sequence of maps, not the tensor
            return outputs.names
        }
        #expect(names == ["label", "probabilities"])
        await #expect(throws: OnnxRuntimeError.self) {
            try await engine.run(["float_input": rows], outputs: ["probability_tensor_normalized"])
        }
    }

    @Test func zipMapParameter_otherValue_isRefusedNamingTheChoices() async throws {
        let engine = OnnxRuntimeEngine()
        let context = EngineFixtures.context(
            name: "iris", path: try EngineFixtures.path(EngineFixtures.iris), parameters: ["zipMap": "python"])
        await #expect {
            try await engine.load(context)
        } throws: { error in
            guard case OnnxRuntimeError.invalidParameter(let model, let name, let value, let allowed) = error else {
                return false
            }
            return model == "iris" && name == "zipMap" && value == "python" && allowed.contains("onnxruntime")
        }
    }
}
