import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// Bad inputs are rejected in Swift with an error naming the model, the input and what was expected; the engine
/// keeps serving good requests afterwards.
@Suite(.timeLimit(.minutes(2))) struct InputValidationTests {
    let good = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
    let declared = OnnxValueType.tensor(elementType: .float, shape: [3, 2])

    /// The error for an `X` of another element type or shape than mul_1's `tensor(float)[3, 2]`.
    private func mismatch(given type: TensorElementType, _ shape: [Int64]) -> OnnxRuntimeError {
        .inputMismatch(model: "mul", input: "X", expected: declared, given: .tensor(elementType: type, shape: shape))
    }

    private func expectRejected(
        _ inputs: [String: Tensor], outputs: [String]? = nil, with expected: OnnxRuntimeError
    ) async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        await #expect(throws: expected) { try await engine.run(inputs, outputs: outputs) }
        #expect(try await engine.run(["X": good])["Y"]?.tensor?.floats?.count == 6)
    }

    @Test func run_unknownInputName_listsTheExpectedNames() async throws {
        try await expectRejected(["x": good], with: .unknownInput(model: "mul", name: "x", expected: ["X"]))
    }

    @Test func run_noInputs_namesTheMissingOnes() async throws {
        try await expectRejected([:], with: .missingInputs(model: "mul", names: ["X"]))
    }

    @Test func run_int64IntoFloatInput_reportsBothElementTypes() async throws {
        let wrong = Tensor(shape: [3, 2], int64s: [1, 2, 3, 4, 5, 6])
        try await expectRejected(
            ["X": wrong], with: mismatch(given: .int64, [3, 2]))
    }

    @Test func run_doubleIntoFloatInput_reportsBothElementTypes() async throws {
        let wrong = Tensor(shape: [3, 2], doubles: [1, 2, 3, 4, 5, 6])
        try await expectRejected(
            ["X": wrong], with: mismatch(given: .double, [3, 2]))
    }

    @Test func run_wrongDimension_reportsExpectedAndGivenShapes() async throws {
        let wrong = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        try await expectRejected(
            ["X": wrong], with: mismatch(given: .float, [2, 3]))
    }

    @Test func run_wrongRank_reportsExpectedAndGivenShapes() async throws {
        let wrong = Tensor(shape: [6], floats: [1, 2, 3, 4, 5, 6])
        try await expectRejected(
            ["X": wrong], with: mismatch(given: .float, [6]))
    }

    @Test func run_negativeDimension_isAShapeMismatch() async throws {
        let wrong = Tensor(shape: [-3, -2], floats: [1, 2, 3, 4, 5, 6])
        try await expectRejected(
            ["X": wrong], with: mismatch(given: .float, [-3, -2]))
    }

    @Test func run_tooFewElementsForTheShape_reportsTheCounts() async throws {
        let wrong = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5])
        try await expectRejected(
            ["X": wrong],
            with: .dataCountMismatch(model: "mul", input: "X", shape: [3, 2], expected: 6, given: 5))
    }

    @Test func run_tooManyElementsForTheShape_reportsTheCounts() async throws {
        let wrong = Tensor(shape: [3, 2], floats: Array(repeating: 1, count: 7))
        try await expectRejected(
            ["X": wrong],
            with: .dataCountMismatch(model: "mul", input: "X", shape: [3, 2], expected: 6, given: 7))
    }

    @Test func run_shapeWhoseElementCountOverflows_isAnErrorNamingTheInput() async throws {
        // zipmap_int64's X is tensor(float)[-1, 4]: any row count fits the declared shape
        let engine = try await GeneratedModels.loaded("zipmap_int64.onnx", name: "zipmap")
        for rows in [1 << 62, 6_148_914_691_236_517_206, Int.max] {
            let huge = Tensor(shape: [rows, 4], floats: [])
            await #expect(throws: OnnxRuntimeError.shapeTooLarge(model: "zipmap", input: "X", shape: [rows, 4])) {
                try await engine.run(["X": huge])
            }
        }
        #expect(try await engine.run(["X": Tensor(shape: [1, 4], floats: [1, 2, 3, 4])])["L"]?.tensor?.count == 1)
        await engine.unload()
    }

    @Test func shapesWhoseSizeOverflows_makeNoTensorFromBytesAndNoBuffer() {
        #expect(Tensor(shape: [1 << 62, 4], floats: []).shapeElementCount == nil)
        #expect(Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6]).shapeElementCount == 6)
        #expect(Tensor(shape: [1 << 62, 4], elementType: .float, bytes: [UInt8]()) == nil)
        #expect(TensorBuffer(elementType: .float, shape: [1 << 62, 4]) == nil)
        // 2^61 elements fit in an Int, their 2^63 bytes do not
        #expect(TensorBuffer(elementType: .float, shape: [1 << 61]) == nil)
        #expect(Tensor(shape: [1 << 61], elementType: .float, bytes: [UInt8]()) == nil)
    }

    @Test func run_unknownOutputName_listsTheAvailableOutputs() async throws {
        try await expectRejected(
            ["X": good], outputs: ["Z"], with: .unknownOutput(model: "mul", name: "Z", available: ["Y"]))
    }
}

/// An input or output that declares no shape at all takes tensors of any rank. ONNX Runtime reports it with no
/// dimensions, as it reports a scalar; the engine reads the file to tell the two apart, so a scalar input still
/// refuses a tensor of rank 1 before any native call.
@Suite(.timeLimit(.minutes(2))) struct UnshapedInputTests {
    /// Writes `Y = Relu(X)` with `X` and `Y` declared without a shape (`unshaped.onnx`) and with `X` a scalar
    /// (`scalar.onnx`) into `folder`; returns what onnxruntime's Python API computes on `unshaped.onnx` for a 2×3 input.
    private func writeModels(in folder: URL) async throws -> [Float] {
        let script = """
            import json, sys, numpy as np, onnx, onnxruntime as ort
            from onnx import helper as h, TensorProto as T
            for name, shape in (("unshaped", None), ("scalar", [])):
                x = h.make_tensor_value_info("X", T.FLOAT, shape); y = h.make_tensor_value_info("Y", T.FLOAT, shape)
                g = h.make_graph([h.make_node("Relu", ["X"], ["Y"])], "g", [x], [y])
                onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)], ir_version=8), f"{sys.argv[1]}/{name}.onnx")
            session = ort.InferenceSession(f"{sys.argv[1]}/unshaped.onnx", providers=["CPUExecutionProvider"])
            x = np.array([[-1, 2, -3], [4, -5, 6]], dtype=np.float32)
            print(json.dumps(session.run(None, {"X": x})[0].flatten().tolist()))
            """
        let run = try await ChildProcess.run(NativeFixtures.python, ["-c", script, folder.path])
        try #require(run.succeeded, "writing the models failed: \(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").last)
        return try JSONDecoder().decode([Float].self, from: Data(line.utf8))
    }

    private func engine(_ path: URL) async throws -> OnnxRuntimeEngine {
        let engine = OnnxRuntimeEngine()
        try await engine.load(EngineFixtures.context(name: "relu", path: path.path))
        return engine
    }

    @Test func inputDeclaringNoShape_takesAnyRank_asOnnxRuntimeDoes_andAScalarInputStillRefusesRankOne() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try await writeModels(in: folder)
        let unshaped = try await engine(folder.appendingPathComponent("unshaped.onnx"))
        let x = Tensor(shape: [2, 3], floats: [-1, 2, -3, 4, -5, 6])
        let y = try await unshaped.run(["X": x])["Y"]?.tensor
        #expect(y?.shape == [2, 3])
        #expect(y?.floats == reference)
        let buffer = try #require(TensorBuffer(elementType: .float, shape: [2, 3]))
        try await unshaped.run(["X": x], into: ["Y": buffer])
        #expect(buffer.withUnsafeBufferPointer(of: Float.self) { Array($0) } == reference)
        await #expect(throws: OnnxRuntimeError.inputMismatch(
            model: "relu", input: "X", expected: .tensor(elementType: .float, shape: []),
            given: .tensor(elementType: .double, shape: [2, 3]))) {
            try await unshaped.run(["X": Tensor(shape: [2, 3], doubles: [1, 2, 3, 4, 5, 6])])
        }
        await unshaped.unload()

        let scalar = try await engine(folder.appendingPathComponent("scalar.onnx"))
        await #expect(throws: OnnxRuntimeError.inputMismatch(
            model: "relu", input: "X", expected: .tensor(elementType: .float, shape: []),
            given: .tensor(elementType: .float, shape: [2]))) {
            try await scalar.run(["X": Tensor(shape: [2], floats: [1, -1])])
        }
        #expect(try await scalar.run(["X": Tensor(shape: [], floats: [-2])])["Y"]?.tensor?.floats == [0])
        await scalar.unload()
    }
}
