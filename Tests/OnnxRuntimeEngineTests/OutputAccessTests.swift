import OnnxRuntimeEngine
import Testing

/// Outputs without the copy into Swift arrays: in place inside `withRun`, or written by ORT into buffers the caller
/// owns and reuses. Both must agree with the plain `run`.
@Suite(.timeLimit(.minutes(2))) struct OutputAccessTests {
    let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])

    @Test func withRun_readsOutputsInPlace_likeRun() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let expected = try #require(try await engine.run(["X": x])["Y"]?.tensor?.floats)
        let (shape, values) = try await engine.withRun(["X": x]) { outputs in
            let y = try #require(outputs["Y"])
            #expect(y.elementType == .float)
            return (y.shape, try y.withUnsafeBufferPointer(of: Float.self) { Array($0) })
        }
        #expect(shape == [3, 2])
        #expect(values == expected)
    }

    @Test func withRun_zipMapOutput_isCopiedOnRequest() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris, name: "iris")
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.4, 3.2, 6.3, 3.3])
        let expected = try await engine.run(["float_input": rows])
        let copied = try await engine.withRun(["float_input": rows]) { outputs in
            let probabilities = try #require(outputs["probabilities"])
            #expect(probabilities.elementType == nil)
            #expect(throws: OnnxRuntimeError.self) { try probabilities.withUnsafeBufferPointer(of: Float.self) { _ in } }
            return try probabilities.copy()
        }
        #expect(copied == expected["probabilities"])
    }

    @Test func runInto_writesIntoTheCallersBuffer_reusedAcrossCalls() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let buffer = try #require(TensorBuffer(elementType: .float, shape: [3, 2]))
        for scale: Float in [1, -2, 0.5] {
            let input = Tensor(shape: [3, 2], floats: x.floats!.map { $0 * scale })
            let expected = try #require(try await engine.run(["X": input])["Y"]?.tensor)
            try await engine.run(["X": input], into: ["Y": buffer])
            #expect(buffer.tensor == expected)
            #expect(buffer.withUnsafeBufferPointer(of: Float.self) { Array($0) } == expected.floats)
        }
    }

    @Test func runInto_bufferOfAnotherType_isRejectedBeforeRunning() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let buffer = try #require(TensorBuffer(elementType: .double, shape: [3, 2]))
        let expected = OnnxRuntimeError.outputBufferMismatch(
            model: "mul", output: "Y", expected: .tensor(elementType: .float, shape: [3, 2]),
            given: .tensor(elementType: .double, shape: [3, 2]))
        await #expect(throws: expected) { try await engine.run(["X": x], into: ["Y": buffer]) }
    }

    @Test func tensorBuffer_refusesStringsAndNegativeDimensions() {
        #expect(TensorBuffer(elementType: .string, shape: [2]) == nil)
        #expect(TensorBuffer(elementType: .float, shape: [-1, 2]) == nil)
        #expect(TensorBuffer(elementType: .bool, shape: [2])?.count == 2)
    }
}

/// Tensors to and from raw bytes, as a binary wire format (KServe's binary data) carries them.
@Suite(.timeLimit(.minutes(1))) struct TensorBytesTests {
    @Test func bytes_roundTripThroughElementBytes() throws {
        let ints = Tensor(shape: [2, 2], [1, -2, 3, Int32.max])
        let bytes = try #require(ints.withUnsafeElementBytes { Array($0) })
        #expect(bytes.count == 16)
        #expect(Tensor(shape: [2, 2], elementType: .int32, bytes: bytes) == ints)
        let flags = Tensor(shape: [3], [true, false, true])
        #expect(flags.withUnsafeElementBytes { Array($0) } == [1, 0, 1])
        #expect(Tensor(shape: [3], elementType: .bool, bytes: [1, 0, 1] as [UInt8]) == flags)
    }

    @Test func bytes_ofTheWrongCountOrAStringType_giveNoTensor() {
        #expect(Tensor(shape: [2], elementType: .float, bytes: [0, 0, 0] as [UInt8]) == nil)
        #expect(Tensor(shape: [1], elementType: .string, bytes: [0] as [UInt8]) == nil)
        #expect(Tensor(shape: [1], strings: ["a"]).withUnsafeElementBytes { $0.count } == nil)
    }

    @Test func runInto_bufferForAnUnknownOutput_isRejected() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.mul, name: "mul")
        let buffer = try #require(TensorBuffer(elementType: .float, shape: [3, 2]))
        await #expect(throws: OnnxRuntimeError.unknownOutput(model: "mul", name: "Z", available: ["Y"])) {
            try await engine.run(["X": Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])], into: ["Z": buffer])
        }
    }
}
