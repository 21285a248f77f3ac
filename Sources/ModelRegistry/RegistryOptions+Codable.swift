import Foundation

// MARK: - Codable

extension RegistryOptions: Codable {
    enum CodingKeys: String, CodingKey {
        case unloadDrainTimeoutSeconds, defaultLoadTimeoutSeconds, maxConcurrentLoads, maxLoadedModels
        case memoryBudgetBytes, capacityWaitTimeoutSeconds, keepAlive, retryInitialSeconds, retryMaximumSeconds
        case healthCheckIntervalSeconds, modelsDirectory, maxConcurrentDownloads, downloadIdleTimeoutSeconds
        case downloadRetries, downloadDeadlineSeconds
    }

    /// Reads the `"registry"` section of a configuration file; absent keys keep their defaults.
    /// - Throws: `DecodingError` naming the mistyped key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RegistryOptions()
        func seconds(_ key: CodingKeys) throws -> Duration? { try c.decodeSecondsIfPresent(forKey: key) }
        self.init(
            unloadDrainTimeout: try seconds(.unloadDrainTimeoutSeconds) ?? defaults.unloadDrainTimeout,
            defaultLoadTimeout: try seconds(.defaultLoadTimeoutSeconds),
            maxConcurrentLoads: try c.decodeIfPresent(Int.self, forKey: .maxConcurrentLoads),
            maxLoadedModels: try c.decodeIfPresent(Int.self, forKey: .maxLoadedModels),
            memoryBudget: try c.decodeIfPresent(Int.self, forKey: .memoryBudgetBytes),
            capacityWaitTimeout: try seconds(.capacityWaitTimeoutSeconds) ?? defaults.capacityWaitTimeout,
            defaultKeepAlive: try c.decodeIfPresent(KeepAlive.self, forKey: .keepAlive) ?? defaults.defaultKeepAlive,
            retryBackoff: RetryBackoff(
                initial: try seconds(.retryInitialSeconds) ?? defaults.retryBackoff.initial,
                maximum: try seconds(.retryMaximumSeconds) ?? defaults.retryBackoff.maximum),
            healthCheckInterval: try seconds(.healthCheckIntervalSeconds),
            modelsDirectory: try c.decodeIfPresent(String.self, forKey: .modelsDirectory).map { URL(fileURLWithPath: $0) }
                ?? defaults.modelsDirectory,
            maxConcurrentDownloads: try c.decodeIfPresent(Int.self, forKey: .maxConcurrentDownloads)
                ?? defaults.maxConcurrentDownloads,
            downloadIdleTimeout: try seconds(.downloadIdleTimeoutSeconds) ?? defaults.downloadIdleTimeout,
            downloadRetries: try c.decodeIfPresent(Int.self, forKey: .downloadRetries) ?? defaults.downloadRetries,
            downloadDeadline: try seconds(.downloadDeadlineSeconds)
        )
    }

    /// Writes the options with the keys a configuration file uses.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unloadDrainTimeout.seconds, forKey: .unloadDrainTimeoutSeconds)
        try c.encodeIfPresent(defaultLoadTimeout?.seconds, forKey: .defaultLoadTimeoutSeconds)
        try c.encodeIfPresent(maxConcurrentLoads, forKey: .maxConcurrentLoads)
        try c.encodeIfPresent(maxLoadedModels, forKey: .maxLoadedModels)
        try c.encodeIfPresent(memoryBudget, forKey: .memoryBudgetBytes)
        try c.encode(capacityWaitTimeout.seconds, forKey: .capacityWaitTimeoutSeconds)
        try c.encode(defaultKeepAlive, forKey: .keepAlive)
        try c.encode(retryBackoff.initial.seconds, forKey: .retryInitialSeconds)
        try c.encode(retryBackoff.maximum.seconds, forKey: .retryMaximumSeconds)
        try c.encodeIfPresent(healthCheckInterval?.seconds, forKey: .healthCheckIntervalSeconds)
        try c.encode(modelsDirectory.path, forKey: .modelsDirectory)
        try c.encode(maxConcurrentDownloads, forKey: .maxConcurrentDownloads)
        try c.encode(downloadIdleTimeout.seconds, forKey: .downloadIdleTimeoutSeconds)
        try c.encode(downloadRetries, forKey: .downloadRetries)
        try c.encodeIfPresent(downloadDeadline?.seconds, forKey: .downloadDeadlineSeconds)
    }
}
