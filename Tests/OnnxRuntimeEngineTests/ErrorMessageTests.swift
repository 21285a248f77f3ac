import OnnxRuntimeEngine
import Testing

/// Error messages name the model and the cause and say what to do.
@Suite(.timeLimit(.minutes(2))) struct ErrorMessageTests {
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

    @Test func inputMismatch_namesInputAndBothTypesWithShapes() {
        let error = OnnxRuntimeError.inputMismatch(
            model: "mul", input: "X", expected: .tensor(elementType: .float, shape: [3, -1]),
            given: .tensor(elementType: .int64, shape: [2, 2]))
        #expect(
            error.description
                == "model \"mul\", input \"X\": expected tensor(float)[3, -1] (-1 = any size), given tensor(int64)[2, 2]")
    }

    @Test func unsupportedGraph_advisesReExportingWithASupportedOpset() {
        let status = OnnxRuntimeStatus(code: .notImplemented, message: "Could not find an implementation for Add(14)")
        let error = OnnxRuntimeError.unsupportedGraph(model: "m", path: "/m.onnx", status: status)
        #expect(error.description.contains("re-export the model with an opset"))
        #expect(error.description.contains("NOT_IMPLEMENTED: Could not find an implementation for Add(14)"))
        #expect(!error.description.contains("complete .onnx export"))
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
