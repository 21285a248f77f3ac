import Foundation
import OnnxRuntimeEngine
import Testing

/// The models `Scripts/make_onnx_test_models.py` writes to `Fixtures/models/`, with the outputs onnxruntime's Python
/// API gave for them (`Fixtures/models/reference.json`). Regenerate both with
/// `.native/venv/bin/python Scripts/make_onnx_test_models.py` and commit the result.
enum GeneratedModels {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models")

    /// The path of a generated model, e.g. `types/int8.onnx`.
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A new engine with a generated model loaded under `name`.
    static func loaded(_ file: String, name: String, parameters: [String: String] = [:]) async throws
        -> OnnxRuntimeEngine
    {
        let engine = OnnxRuntimeEngine()
        try await engine.load(EngineFixtures.context(name: name, path: path(file), parameters: parameters))
        return engine
    }

    /// One type's case: the input, and what Python's onnxruntime returned for Identity (Y) and Cast to double (D).
    struct TypeCase<Element: Decodable>: Decodable {
        let shape: [Int]
        let input: [Element]
        let identity: [Element]
        let asDouble: [Double]
        let inputFloats: [Float]?
    }

    /// The case for one element type, its values decoded as `Element` (raw bits for float16 and bfloat16).
    static func typeCase<Element: Decodable>(_ type: String, as element: Element.Type) throws -> TypeCase<Element> {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.userInfo[TypeCaseDocument<Element>.typeKey] = type
        let data = try Data(contentsOf: directory.appendingPathComponent("reference.json"))
        return try decoder.decode(TypeCaseDocument<Element>.self, from: data).typeCase
    }

    /// The string models' references.
    struct StringCases: Decodable {
        struct Normalizer: Decodable {
            let input: [String]
            let output: [String]
            let outputShape: [Int]
        }
        struct Encoder: Decodable {
            let input: [String]
            let output: [Int64]
        }
        let stringNormalizer: Normalizer
        let labelEncoder: Encoder
    }

    static func stringCases() throws -> StringCases {
        struct Document: Decodable { let strings: StringCases }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try Data(contentsOf: directory.appendingPathComponent("reference.json"))
        return try decoder.decode(Document.self, from: data).strings
    }
}

extension GeneratedModels {
    /// A ZipMap model's reference: its input, and the labels and maps Python's onnxruntime returned.
    struct ZipMapCase: Decodable {
        /// A map key: an int64 or a string.
        enum Key: Decodable, Equatable {
            case int64(Int64)
            case string(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let value = try? container.decode(Int64.self) { self = .int64(value) } else {
                    self = .string(try container.decode(String.self))
                }
            }
        }

        /// One map entry, as `[key, value]`.
        struct Entry: Decodable {
            let key: Key
            let value: Float

            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                key = try container.decode(Key.self)
                value = try container.decode(Float.self)
            }
        }

        let shape: [Int]
        let input: [Float]
        let label: [Int64]
        /// One map per row, in the order ORT's map iterates (ascending keys).
        let maps: [[Entry]]
    }

    /// The ZipMap models' references, by model name (`zipmap_int64`, `zipmap_strings`).
    static func zipMapCases() throws -> [String: ZipMapCase] {
        struct Document: Decodable { let zipmaps: [String: ZipMapCase] }
        let data = try Data(contentsOf: directory.appendingPathComponent("reference.json"))
        return try JSONDecoder().decode(Document.self, from: data).zipmaps
    }
}

/// Decodes only `types.<name>` of the reference, the name given in the decoder's user info.
private struct TypeCaseDocument<Element: Decodable>: Decodable {
    static var typeKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "typeName")! }
    let typeCase: GeneratedModels.TypeCase<Element>

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let name = decoder.userInfo[Self.typeKey] as? String ?? ""
        let types = try decoder.container(keyedBy: Key.self).nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "types"))
        typeCase = try types.decode(GeneratedModels.TypeCase<Element>.self, forKey: Key(stringValue: name))
    }
}
