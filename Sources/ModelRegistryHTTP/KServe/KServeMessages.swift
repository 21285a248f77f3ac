/// The body of `POST /v2/models/{name}/infer`.
struct InferRequest: Decodable, Sendable {
    struct Input: Decodable, Sendable {
        var name: String
        var shape: [Int]
        var datatype: String
        var data: KServeData
    }
    struct Output: Decodable, Sendable {
        var name: String
    }
    var id: String?
    var inputs: [Input]
    var outputs: [Output]?
}

/// One output tensor of an inference response.
struct InferOutput: Encodable, Sendable {
    var name: String
    var datatype: String
    var shape: [Int]
    var data: [KServeElement]
}

/// The response of `POST /v2/models/{name}/infer`.
struct InferResponse: Encodable, Sendable {
    var modelName: String
    var modelVersion: String
    var id: String?
    var outputs: [InferOutput]
    enum CodingKeys: String, CodingKey {
        case id, outputs
        case modelName = "model_name", modelVersion = "model_version"
    }
}

/// An input or output in the model metadata.
struct TensorMetadata: Encodable, Sendable {
    var name: String
    var datatype: String
    var shape: [Int64]
}

/// The response of `GET /v2/models/{name}`.
struct ModelMetadataResponse: Encodable, Sendable {
    var name: String
    var versions: [String]
    var platform: String
    var inputs: [TensorMetadata]
    var outputs: [TensorMetadata]
}

/// The response of `GET /v2`.
struct ServerMetadataResponse: Encodable, Sendable {
    var name: String
    var version: String
    var extensions: [String]
}
