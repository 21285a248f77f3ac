import OnnxRuntimeEngine
import Testing

/// What the engine reads when a model loads, compared with ONNX Runtime's Python API. The metadata and provider
/// calls sit late in the C API table (slots 111–118 and 125), so matching values also confirm the table layout
/// declared in `onnxruntime_subset.h`.
@Suite(.timeLimit(.minutes(2))) struct ModelMetadataTests {
    @Test(arguments: [EngineFixtures.iris, EngineFixtures.mul, EngineFixtures.sigmoid])
    func load_readsInputsAndOutputsLikePython(fileName: String) async throws {
        let engine = try await EngineFixtures.loaded(fileName)
        let reference = OnnxReference.model(fileName)
        #expect(engine.inputs.map(\.name) == reference.inputs.map(\.name))
        #expect(engine.inputs.map(\.type.typeName) == reference.inputs.map(\.type))
        #expect(engine.inputs.map { $0.shape ?? [] } == reference.inputs.map(\.shape))
        #expect(engine.outputs.map(\.name) == reference.outputs.map(\.name))
        #expect(engine.outputs.map(\.type.typeName) == reference.outputs.map(\.type))
        #expect(engine.outputs.map { $0.shape ?? [] } == reference.outputs.map(\.shape))
    }

    @Test(arguments: [EngineFixtures.iris, EngineFixtures.mul, EngineFixtures.sigmoid])
    func load_readsModelMetadataLikePython(fileName: String) async throws {
        let engine = try await EngineFixtures.loaded(fileName)
        let info = try #require(engine.modelInfo)
        let reference = OnnxReference.model(fileName).metadata
        #expect(info.producerName == reference.producerName)
        #expect(info.graphName == reference.graphName)
        #expect(info.domain == reference.domain)
        #expect(info.modelDescription == reference.description)
        #expect(info.version == reference.version)
    }

    @Test func irisModel_describesTypesStructurally() async throws {
        let engine = try await EngineFixtures.loaded(EngineFixtures.iris)
        #expect(engine.inputs == [TensorInfo(name: "float_input", type: .tensor(elementType: .float, shape: [3, 2]))])
        #expect(engine.outputs.first?.elementType == .int64)
        let zipMap = OnnxValueType.sequence(.map(key: .int64, value: .tensor(elementType: .float, shape: [])))
        #expect(engine.outputs.last?.type == zipMap)
        #expect(engine.outputs.last?.shape == nil)
    }

    @Test func library_reportsVersionAndProvidersLikePython() throws {
        #expect(OnnxRuntime.isSupported)
        #expect(OnnxRuntime.requiredAPIVersion == 23)
        #expect(OnnxRuntime.libraryVersion == OnnxReference.shared.onnxruntimeVersion)
        #expect(try OnnxRuntime.availableProviders() == OnnxReference.shared.availableProviders)
    }
}
