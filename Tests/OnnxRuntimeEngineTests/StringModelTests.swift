import OnnxRuntimeEngine
import Testing

/// String tensors in and out (`FillStringTensor`, `GetStringTensorContent`), against onnxruntime's Python API on
/// the same models (`Scripts/make_onnx_test_models.py`).
@Suite(.timeLimit(.minutes(2))) struct StringModelTests {
    @Test func stringNormalizer_lowersAndDropsStopWordsLikePython() async throws {
        let reference = try GeneratedModels.stringCases().stringNormalizer
        let engine = try await GeneratedModels.loaded("string_normalizer.onnx", name: "normalizer")
        #expect(engine.inputs.first?.elementType == .string)
        let input = Tensor(shape: [reference.input.count], strings: reference.input)
        let output = try #require(try await engine.run(["X": input])["Y"]?.tensor)
        #expect(output.shape == reference.outputShape)
        #expect(output.strings == reference.output)
    }

    @Test func labelEncoder_mapsStringsToIdsLikePython() async throws {
        let reference = try GeneratedModels.stringCases().labelEncoder
        let engine = try await GeneratedModels.loaded("label_encoder.onnx", name: "encoder")
        let input = Tensor(shape: [reference.input.count], strings: reference.input)
        let output = try await engine.run(["X": input])["Y"]?.tensor
        #expect(output?.int64s == reference.output)
    }

    @Test func labelEncoder_floatInput_isRejectedBeforeRunning() async throws {
        let engine = try await GeneratedModels.loaded("label_encoder.onnx", name: "encoder")
        let expected = OnnxRuntimeError.inputMismatch(
            model: "encoder", input: "X", expected: .tensor(elementType: .string, shape: [-1]),
            given: .tensor(elementType: .float, shape: [2]))
        await #expect(throws: expected) { try await engine.run(["X": Tensor(shape: [2], floats: [1, 2])]) }
    }
}
