import Foundation

/// The reference outputs in `Fixtures/onnx_reference.json`.
///
/// The file was written by `Scripts/onnx_reference.py`, which runs the same models through ONNX Runtime's Python
/// API (onnxruntime 1.23.2 from `.native/venv`) and reads mul_1's weights with the `onnx` package. Regenerate it
/// with `.native/venv/bin/python Scripts/onnx_reference.py` and commit the result.
struct OnnxReference: Decodable {
    let onnxruntimeVersion: String
    let availableProviders: [String]
    let models: [String: Model]

    struct Model: Decodable {
        let metadata: Metadata
        let inputs: [Declared]
        let outputs: [Declared]
        let cases: [Case]
        let initializers: [String: TensorValue]?
    }

    struct Metadata: Decodable {
        let producerName: String
        let graphName: String
        let domain: String
        let description: String
        let version: Int64
    }

    /// An input or output as `InferenceSession.get_inputs()` reports it; free dimensions are -1.
    struct Declared: Decodable {
        let name: String
        let type: String
        let shape: [Int64]
    }

    struct Case: Decodable {
        let inputs: [String: TensorValue]
        let outputs: [String: Output]
    }

    struct TensorValue: Decodable {
        let shape: [Int]
        let data: [Double]
    }

    struct MapValue: Decodable {
        let keys: [Int64]
        let values: [Double]
    }

    /// A tensor, or (ZipMap) a sequence of maps.
    enum Output: Decodable {
        case tensor(TensorValue)
        case maps([MapValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let maps = try? container.decode([MapValue].self) {
                self = .maps(maps)
            } else {
                self = .tensor(try container.decode(TensorValue.self))
            }
        }
    }

    /// The committed fixture.
    static let shared: OnnxReference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/onnx_reference.json")
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(OnnxReference.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run Scripts/onnx_reference.py")
        }
    }()

    /// The reference for one model file.
    static func model(_ fileName: String) -> Model {
        guard let model = shared.models[fileName] else { fatalError("no reference for \(fileName)") }
        return model
    }
}
