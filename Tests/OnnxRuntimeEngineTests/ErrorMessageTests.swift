import OnnxRuntimeEngine
import Testing

/// Error messages name the model and the cause and say what to do.
@Suite struct ErrorMessageTests {
    @Test func unsupportedLibrary_namesTheVersionFoundAndTheVersionNeeded() {
        let error = OnnxRuntimeError.unsupportedLibrary(model: "iris", requiredAPI: 23, libraryVersion: "1.16.3")
        #expect(error.description.contains("model \"iris\""))
        #expect(error.description.contains("libonnxruntime 1.16.3 does not provide C API version 23"))
        #expect(error.description.contains("install ONNX Runtime 1.23 or later"))
    }

    @Test func unknownInput_listsTheModelsInputs() {
        let error = OnnxRuntimeError.unknownInput(model: "iris", name: "features", expected: ["float_input"])
        #expect(error.description == "model \"iris\" has no input \"features\"; its inputs are: float_input")
    }

    @Test func elementTypeMismatch_namesBothTypes() {
        let error = OnnxRuntimeError.elementTypeMismatch(model: "mul", input: "X", expected: .float, given: .int64)
        #expect(error.description == "model \"mul\", input \"X\": expected float elements, given int64")
    }

    @Test func shapeMismatch_showsBothShapesAndFreeDimensions() {
        let error = OnnxRuntimeError.shapeMismatch(model: "mul", input: "X", expected: [3, -1], given: [2, 2])
        #expect(error.description == "model \"mul\", input \"X\": expected shape [3, -1] (-1 = any size), given [2, 2]")
    }

    @Test func notLoaded_beforeAnyLoad_saysToLoad() {
        #expect(OnnxRuntimeError.notLoaded(model: nil).description == "no model is loaded; call load(_:) first")
    }

    @Test func ortStatus_printsOrtsCodeNameAndMessage() {
        let status = OnnxRuntimeStatus(code: .invalidProtobuf, message: "Protobuf parsing failed.")
        #expect(status.description == "INVALID_PROTOBUF: Protobuf parsing failed.")
        #expect(OnnxRuntimeStatus.Code(rawValue: 99).description == "code 99")
    }
}
