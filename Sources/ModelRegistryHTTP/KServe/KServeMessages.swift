/// The body of `POST /v2/models/{name}/infer` (the JSON part, with the binary-data extension).
struct InferRequest: Decodable, Sendable {
    struct Input: Decodable, Sendable {
        var name: String
        var shape: [Int]
        var datatype: String
        /// The elements as JSON; `nil` when they follow the JSON as binary data.
        var data: KServeData?
        var parameters: Parameters?

        struct Parameters: Decodable, Sendable {
            /// The byte count of this input's binary data (binary-data extension).
            var binaryDataSize: Int?
            enum CodingKeys: String, CodingKey { case binaryDataSize = "binary_data_size" }
        }
    }
    struct Output: Decodable, Sendable {
        var name: String
        var parameters: Parameters?

        struct Parameters: Decodable, Sendable {
            /// Whether to return this output as binary data (binary-data extension).
            var binaryData: Bool?
            enum CodingKeys: String, CodingKey { case binaryData = "binary_data" }
        }
    }
    struct Parameters: Decodable, Sendable {
        /// Whether to return every output as binary data when `outputs` is not given (binary-data extension).
        var binaryDataOutput: Bool?
        enum CodingKeys: String, CodingKey { case binaryDataOutput = "binary_data_output" }
    }
    var id: String?
    var inputs: [Input]
    var outputs: [Output]?
    var parameters: Parameters?
}

/// One output tensor of an inference response.
struct InferOutput: Encodable, Sendable {
    var name: String
    var datatype: String
    var shape: [Int]
    /// The elements as JSON; `nil` when they follow the JSON as binary data.
    var data: [KServeElement]?
    var parameters: Parameters?

    struct Parameters: Encodable, Sendable {
        /// The byte count of this output's binary data.
        var binaryDataSize: Int
        enum CodingKeys: String, CodingKey { case binaryDataSize = "binary_data_size" }
    }
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
