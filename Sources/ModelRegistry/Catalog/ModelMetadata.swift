public import Foundation

/// What is known about a model version's file. Every field is optional (or empty): fill in what you know.
/// Discovery fills in the size, the file's modification time as `created`, and for GGUF files the architecture
/// and context length read from the header.
public struct ModelMetadata: Sendable, Hashable, Codable {
    /// The model architecture, e.g. `"llama"` or `"logistic-regression"`.
    public var architecture: String?
    /// The weight quantization, e.g. `"Q4_K_M"` or `"F16"`.
    public var quantization: String?
    /// The number of parameters.
    public var parameterCount: Int?
    /// The context length the model was trained for, in tokens.
    public var contextLength: Int?
    /// Free-form labels, e.g. `["chat", "small"]`.
    public var tags: [String]
    /// Where the model came from, e.g. a URL or `"discovered"`.
    public var source: String?
    /// The model's licence, e.g. `"MIT"`.
    public var license: String?
    /// The file's size in bytes.
    public var sizeBytes: Int64?
    /// When the model file was created or last modified.
    public var created: Date?
    /// A free-form description of the version, e.g. `"retrained on the March data"`.
    public var description: String?
    /// Evaluation figures by name, e.g. `["accuracy": 0.97]`.
    public var metrics: [String: Double]
    /// The memory this version was seen to hold once loaded (what its engine reported, else the process's
    /// resident-size growth over the load), recorded by the registry after each load; the next load's admission
    /// uses it instead of the file-size guess, across restarts.
    public var loadedMemoryBytes: Int?

    /// Creates metadata.
    /// - Parameters:
    ///   - architecture: The model architecture.
    ///   - quantization: The weight quantization.
    ///   - parameterCount: The number of parameters.
    ///   - contextLength: The trained context length, in tokens.
    ///   - tags: Free-form labels.
    ///   - source: Where the model came from.
    ///   - license: The model's licence.
    ///   - sizeBytes: The file's size in bytes.
    ///   - created: When the file was created or last modified.
    ///   - description: A free-form description of the version.
    ///   - metrics: Evaluation figures by name.
    ///   - loadedMemoryBytes: The memory the version was seen to hold once loaded.
    public init(
        architecture: String? = nil, quantization: String? = nil, parameterCount: Int? = nil,
        contextLength: Int? = nil, tags: [String] = [], source: String? = nil, license: String? = nil,
        sizeBytes: Int64? = nil, created: Date? = nil, description: String? = nil, metrics: [String: Double] = [:],
        loadedMemoryBytes: Int? = nil
    ) {
        self.architecture = architecture
        self.quantization = quantization
        self.parameterCount = parameterCount
        self.contextLength = contextLength
        self.tags = tags
        self.source = source
        self.license = license
        self.sizeBytes = sizeBytes
        self.created = created
        self.description = description
        self.metrics = metrics
        self.loadedMemoryBytes = loadedMemoryBytes
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case architecture, quantization, parameterCount, contextLength, tags, source, license, sizeBytes, created
        case description, metrics, loadedMemoryBytes
    }

    /// Decodes metadata; a missing `tags` or `metrics` field reads as none.
    /// - Throws: `DecodingError` naming a mistyped field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture)
        quantization = try c.decodeIfPresent(String.self, forKey: .quantization)
        parameterCount = try c.decodeIfPresent(Int.self, forKey: .parameterCount)
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        source = try c.decodeIfPresent(String.self, forKey: .source)
        license = try c.decodeIfPresent(String.self, forKey: .license)
        sizeBytes = try c.decodeIfPresent(Int64.self, forKey: .sizeBytes)
        created = try c.decodeIfPresent(Date.self, forKey: .created)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
        loadedMemoryBytes = try c.decodeIfPresent(Int.self, forKey: .loadedMemoryBytes)
    }

    /// Encodes the metadata, leaving out empty `metrics`.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(architecture, forKey: .architecture)
        try c.encodeIfPresent(quantization, forKey: .quantization)
        try c.encodeIfPresent(parameterCount, forKey: .parameterCount)
        try c.encodeIfPresent(contextLength, forKey: .contextLength)
        try c.encode(tags, forKey: .tags)
        try c.encodeIfPresent(source, forKey: .source)
        try c.encodeIfPresent(license, forKey: .license)
        try c.encodeIfPresent(sizeBytes, forKey: .sizeBytes)
        try c.encodeIfPresent(created, forKey: .created)
        try c.encodeIfPresent(description, forKey: .description)
        if !metrics.isEmpty { try c.encode(metrics, forKey: .metrics) }
        try c.encodeIfPresent(loadedMemoryBytes, forKey: .loadedMemoryBytes)
    }
}
