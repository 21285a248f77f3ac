// MARK: - Codable

extension ModelConfiguration {
    typealias CodingKeys = Field

    /// Decodes one model entry. In a ``RegistryConfiguration`` file the name comes from the entry's key, so `name`
    /// may be absent here; it is then filled in from the coding path.
    /// - Throws: `DecodingError` naming the missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let keyName = decoder.codingPath.last?.stringValue ?? ""
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? keyName
        engine = try c.decode(EngineKind.self, forKey: .engine)
        modelType = try c.decode(ModelType.self, forKey: .modelType)
        path = try c.decode(String.self, forKey: .path)
        maxWorkers = try c.decodeIfPresent(Int.self, forKey: .maxWorkers) ?? 1
        queueCapacity = try c.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? 64
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
        parallel = try c.decodeIfPresent(Int.self, forKey: .parallel)
        preload = try c.decodeIfPresent(Bool.self, forKey: .preload) ?? false
        loadTimeout = try c.decodeSecondsIfPresent(forKey: .loadTimeoutSeconds)
        parameters = try c.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:]
        keepAlive = try c.decodeIfPresent(KeepAlive.self, forKey: .keepAlive)
        pinned = try c.decodeIfPresent(Bool.self, forKey: .pinned) ?? false
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        warmUp = try c.decodeIfPresent(String.self, forKey: .warmUp)
    }

    /// Encodes the entry with the same keys a configuration file uses.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(engine, forKey: .engine)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(path, forKey: .path)
        try c.encode(maxWorkers, forKey: .maxWorkers)
        try c.encode(queueCapacity, forKey: .queueCapacity)
        try c.encodeIfPresent(contextLength, forKey: .contextLength)
        try c.encodeIfPresent(threads, forKey: .threads)
        try c.encodeIfPresent(batchSize, forKey: .batchSize)
        try c.encodeIfPresent(parallel, forKey: .parallel)
        try c.encode(preload, forKey: .preload)
        try c.encodeIfPresent(loadTimeout.map(\.seconds), forKey: .loadTimeoutSeconds)
        if !parameters.isEmpty { try c.encode(parameters, forKey: .parameters) }
        try c.encodeIfPresent(keepAlive, forKey: .keepAlive)
        if pinned { try c.encode(pinned, forKey: .pinned) }
        try c.encodeIfPresent(sha256, forKey: .sha256)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encodeIfPresent(warmUp, forKey: .warmUp)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
