public import Foundation
public import ModelRegistry

/// The registry's models in the shape of OpenAI's `GET /v1/models` response:
/// `{"object":"list","data":[{"id":"iris","object":"model","created":1700000000,"owned_by":"modelregistry",...}]}`.
///
/// Each entry also carries the engine, model type, state and catalog version, which OpenAI clients ignore.
public struct OpenAIModelList: Sendable, Codable, Hashable {
    /// One model entry.
    public struct Model: Sendable, Codable, Hashable {
        /// The public model name.
        public var id: String
        /// Always `"model"`.
        public var object: String = "model"
        /// When the model was registered, in seconds since 1970.
        public var created: Int
        /// Who serves the model: `"modelregistry"`.
        public var ownedBy: String = "modelregistry"
        /// The engine kind, e.g. `"onnxruntime"`.
        public var engine: String
        /// The model type, e.g. `"classifier"`.
        public var type: String
        /// The lifecycle state label, e.g. `"loaded"`.
        public var state: String
        /// The catalog version served, e.g. `"1.2.0"`; absent for a model that is not versioned.
        public var version: String?

        enum CodingKeys: String, CodingKey {
            case id, object, created, engine, type, state, version
            case ownedBy = "owned_by"
        }
    }

    /// Always `"list"`.
    public var object: String = "list"
    /// The models, sorted by id.
    public var data: [Model]

    /// The list as JSON bytes, keys sorted.
    /// - Returns: The JSON.
    /// - Throws: `EncodingError` from the encoder.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

extension ModelRegistry {
    /// The registered models as an OpenAI-style `/v1/models` list.
    public var openAIModelList: OpenAIModelList {
        OpenAIModelList(data: records.map { record in
            OpenAIModelList.Model(
                id: record.name, created: Int(record.registeredAt.timeIntervalSince1970),
                engine: record.engine.rawValue, type: record.modelType.rawValue, state: record.state.label,
                version: record.configuration.version)
        })
    }
}
