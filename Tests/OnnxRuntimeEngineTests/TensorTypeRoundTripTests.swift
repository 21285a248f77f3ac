import OnnxRuntimeEngine
import Testing

/// Every element type a `Tensor` holds goes into ORT and comes back: `types/<type>.onnx` returns its input through
/// Identity (Y) and Cast to double (D); both must equal what onnxruntime's Python API returned for the same input
/// (`Scripts/make_onnx_test_models.py`). D shows that ORT read our bytes as the values meant, not just the bytes.
@Suite(.timeLimit(.minutes(2))) struct TensorTypeRoundTripTests {
    /// Loads `types/<type>.onnx`, runs it on `input`, and checks Y and D against the reference.
    private func roundTrip<Element: Decodable & Equatable>(
        _ type: String, as element: Element.Type, elementType: TensorElementType,
        make: ([Int], [Element]) -> Tensor, read: (Tensor) -> [Element]?
    ) async throws {
        let reference = try GeneratedModels.typeCase(type, as: Element.self)
        let engine = try await GeneratedModels.loaded("types/\(type).onnx", name: type)
        #expect(engine.inputs.first?.type == .tensor(elementType: elementType, shape: [-1, 3]))
        let input = make(reference.shape, reference.input)
        #expect(input.elementType == elementType)
        let outputs = try await engine.run(["X": input])
        let identity = try #require(outputs["Y"]?.tensor)
        #expect(identity.elementType == elementType)
        #expect(identity.shape == reference.shape)
        #expect(read(identity) == reference.identity)
        let cast = try #require(outputs["D"]?.tensor)
        #expect(cast.doubles == reference.asDouble)
    }

    @Test func bool() async throws {
        try await roundTrip("bool", as: Bool.self, elementType: .bool, make: { Tensor(shape: $0, $1) }, read: \.bools)
    }

    @Test func uint8() async throws {
        try await roundTrip("uint8", as: UInt8.self, elementType: .uint8, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: UInt8.self) })
    }

    @Test func int8() async throws {
        try await roundTrip("int8", as: Int8.self, elementType: .int8, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: Int8.self) })
    }

    @Test func uint16() async throws {
        try await roundTrip("uint16", as: UInt16.self, elementType: .uint16, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: UInt16.self) })
    }

    @Test func int16() async throws {
        try await roundTrip("int16", as: Int16.self, elementType: .int16, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: Int16.self) })
    }

    @Test func uint32() async throws {
        try await roundTrip("uint32", as: UInt32.self, elementType: .uint32, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: UInt32.self) })
    }

    @Test func int32() async throws {
        try await roundTrip("int32", as: Int32.self, elementType: .int32, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: Int32.self) })
    }

    @Test func uint64() async throws {
        try await roundTrip("uint64", as: UInt64.self, elementType: .uint64, make: { Tensor(shape: $0, $1) },
                            read: { $0.values(as: UInt64.self) })
    }

    @Test func int64() async throws {
        try await roundTrip("int64", as: Int64.self, elementType: .int64, make: { Tensor(shape: $0, int64s: $1) },
                            read: \.int64s)
    }

    @Test func float16_asRawBits() async throws {
        try await roundTrip("float16", as: UInt16.self, elementType: .float16,
                            make: { Tensor(shape: $0, float16Bits: $1) }, read: \.float16Bits)
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    @Test func float16_asSwiftFloat16() async throws {
        let reference = try GeneratedModels.typeCase("float16", as: UInt16.self)
        let halves = reference.input.map(Float16.init(bitPattern:))
        let engine = try await GeneratedModels.loaded("types/float16.onnx", name: "float16")
        let outputs = try await engine.run(["X": Tensor(shape: reference.shape, halves)])
        #expect(outputs["Y"]?.tensor?.float16s == halves)
        #expect(outputs["D"]?.tensor?.doubles == reference.asDouble)
    }
    #endif

    @Test func bfloat16_asRawBits() async throws {
        try await roundTrip("bfloat16", as: UInt16.self, elementType: .bfloat16,
                            make: { Tensor(shape: $0, bfloat16Bits: $1) }, read: \.bfloat16Bits)
    }

    @Test func bfloat16_roundedFromFloats_matchesPythonsBits() throws {
        let reference = try GeneratedModels.typeCase("bfloat16", as: UInt16.self)
        let floats = try #require(reference.inputFloats)
        #expect(Tensor(shape: reference.shape, bfloat16From: floats).bfloat16Bits == reference.input)
        let widened = Tensor(shape: reference.shape, bfloat16Bits: reference.input).bfloat16AsFloats
        #expect(widened?.map(Double.init) == reference.asDouble)
    }

    @Test func float() async throws {
        try await roundTrip("float", as: Float.self, elementType: .float, make: { Tensor(shape: $0, floats: $1) },
                            read: \.floats)
    }

    @Test func double() async throws {
        try await roundTrip("double", as: Double.self, elementType: .double,
                            make: { Tensor(shape: $0, doubles: $1) }, read: \.doubles)
    }

    @Test func string() async throws {
        try await roundTrip("string", as: String.self, elementType: .string,
                            make: { Tensor(shape: $0, strings: $1) }, read: \.strings)
    }

    @Test func emptyBatch_roundTripsWithNoElements() async throws {
        let engine = try await GeneratedModels.loaded("types/int32.onnx", name: "int32")
        let outputs = try await engine.run(["X": Tensor(shape: [0, 3], [Int32]())])
        #expect(outputs["Y"]?.tensor == Tensor(shape: [0, 3], [Int32]()))
        #expect(outputs["D"]?.tensor?.shape == [0, 3])
    }

    @Test func wrongElementType_isRejectedNamingTypesAndShapes() async throws {
        let engine = try await GeneratedModels.loaded("types/uint16.onnx", name: "u16")
        let given = Tensor(shape: [2, 3], [Int16](repeating: 1, count: 6))
        let expected = OnnxRuntimeError.inputMismatch(
            model: "u16", input: "X", expected: .tensor(elementType: .uint16, shape: [-1, 3]),
            given: .tensor(elementType: .int16, shape: [2, 3]))
        await #expect(throws: expected) { try await engine.run(["X": given]) }
        #expect(expected.description.contains("expected tensor(uint16)[-1, 3]"))
        #expect(expected.description.contains("given tensor(int16)[2, 3]"))
    }
}
