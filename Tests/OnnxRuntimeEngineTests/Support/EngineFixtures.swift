import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import OnnxRuntimeEngine
import Testing

/// The ONNX model fixtures installed by `Scripts/install-native-deps.sh`, and engines loaded from them.
enum EngineFixtures {
    static let iris = "logreg_iris.onnx"
    static let mul = "mul_1.onnx"
    static let sigmoid = "sigmoid.onnx"

    /// The path of an installed model fixture; fails the test when setup has not run.
    static func path(_ fileName: String) throws -> String {
        let url = NativeFixtures.model(fileName)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "missing \(url.path): run Scripts/install-native-deps.sh")
        return url.path
    }

    /// A load context for a model file.
    static func context(
        name: String, path: String, threads: Int? = 1, parameters: [String: String] = [:]
    ) -> EngineLoadContext {
        let configuration = ModelConfiguration(
            name: name, engine: .onnxruntime, modelType: .tensor, path: path, threads: threads,
            parameters: parameters)
        return EngineLoadContext(modelID: ModelID(), configuration: configuration)
    }

    /// A new engine with a fixture loaded under `name`.
    static func loaded(
        _ fileName: String, name: String? = nil, parameters: [String: String] = [:]
    ) async throws -> OnnxRuntimeEngine {
        let engine = OnnxRuntimeEngine()
        let modelName = name ?? String(fileName.prefix { $0 != "." })
        try await engine.load(context(name: modelName, path: try path(fileName), parameters: parameters))
        return engine
    }

    /// A reference tensor as a `float` tensor.
    static func floatTensor(_ value: OnnxReference.TensorValue) -> Tensor {
        Tensor(shape: value.shape, floats: value.data.map { Float($0) })
    }
}

/// Whether two float arrays have the same length and agree within `tolerance` element by element.
func isClose(_ lhs: [Float], _ rhs: [Float], tolerance: Float) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { abs($0 - $1) <= tolerance }
}

/// Runs `body` and captures its outcome, so tests can look at failures of concurrent runs.
func outcome<T>(_ body: () async throws(OnnxRuntimeError) -> T) async -> Result<T, OnnxRuntimeError> {
    do throws(OnnxRuntimeError) { return .success(try await body()) } catch { return .failure(error) }
}
