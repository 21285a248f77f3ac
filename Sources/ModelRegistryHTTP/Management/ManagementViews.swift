import Foundation
import ModelRegistry

/// A model's record as the management API shows it.
struct ModelRecordView: Encodable, Sendable {
    var name: String
    var version: String?
    var engine: String
    var type: String
    var state: String
    var error: String?
    var health: String
    var loadedAt: Date?
    var lastUsedAt: Date?
    var activeLeases: Int
    var useCount: Int
    var loadCount: Int
    var failureCount: Int
    var consecutiveFailures: Int
    var loadSeconds: Double?
    var memoryBytes: Int?
    var preload: Bool
    var pinned: Bool

    init(_ record: ModelRecord) {
        name = record.name
        version = record.configuration.version
        engine = record.engine.rawValue
        type = record.modelType.rawValue
        state = record.state.label
        if case .failed(let failure) = record.state { error = failure.description }
        health = "\(record.health)"
        loadedAt = record.loadedAt
        lastUsedAt = record.lastUsedAt
        activeLeases = record.activeLeases
        useCount = record.useCount
        loadCount = record.loadCount
        failureCount = record.failureCount
        consecutiveFailures = record.consecutiveFailures
        loadSeconds = record.loadDuration.map(Self.seconds)
        memoryBytes = record.memoryBytes
        preload = record.configuration.preload
        pinned = record.configuration.pinned
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A catalog version as the management API shows it.
struct ModelVersionView: Encodable, Sendable {
    var name: String
    var version: String
    var path: String
    var format: String
    var stage: String
    var engine: String?
    var type: String?
    var registeredAt: Date
    var metadata: ModelMetadata

    init(_ version: ModelVersion) {
        name = version.name
        self.version = version.version.description
        path = version.path
        format = version.format.rawValue
        stage = version.stage.rawValue
        engine = version.engine?.rawValue
        type = version.modelType?.rawValue
        registeredAt = version.registeredAt
        metadata = version.metadata
    }
}

/// The body of `POST /api/v1/registry/models`.
struct RegisterVersionRequest: Decodable, Sendable {
    var name: String
    var version: String
    var path: String
    var format: String?
    var engine: String?
    var type: String?
    var stage: String?
    var metadata: ModelMetadata?
}
