import Foundation
import ModelRegistry

/// The load settings of a llama.cpp model, read and checked from its ``ModelConfiguration`` (the table of
/// settings and defaults is in ``LlamaEngine``'s documentation).
struct LlamaLoadOptions: Sendable {
    var name: String
    var path: String
    var modelType: ModelType
    var embeddingMode: Bool
    var contextLength: Int?
    var batchSize: Int?
    var threads: Int
    var useMmap: Bool
    var seed: UInt32?
    var pooling: LlamaPooling?

    /// Reads the settings.
    /// - Parameter configuration: The model's configuration.
    /// - Throws: ``LlamaError/invalidParameter(model:name:value:expected:)`` for out-of-range values, and
    ///   ``LlamaError/remotePath(model:path:)`` for URLs.
    init(_ configuration: ModelConfiguration) throws {
        name = configuration.name
        guard !configuration.isRemote else { throw LlamaError.remotePath(model: name, path: configuration.path) }
        path = configuration.path
        modelType = configuration.modelType
        embeddingMode = configuration.modelType == .embedding
        contextLength = try Self.positive(configuration.contextLength, "contextLength", model: name)
        batchSize = try Self.positive(configuration.batchSize, "batchSize", model: name)
        threads = try Self.positive(configuration.threads, "threads", model: name)
            ?? min(8, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let parameters = configuration.parameters
        switch parameters["mmap"]?.lowercased() {
        case nil, "true", "yes", "1": useMmap = true
        case "false", "no", "0": useMmap = false
        case let other?: throw LlamaError.invalidParameter(model: name, name: "mmap", value: other, expected: "true or false")
        }
        if let text = parameters["seed"] {
            guard let value = UInt32(text) else {
                throw LlamaError.invalidParameter(model: name, name: "seed", value: text, expected: "an integer in 0...4294967295")
            }
            seed = value
        }
        if let text = parameters["pooling"] {
            guard let value = LlamaPooling(rawValue: text.lowercased()) else {
                throw LlamaError.invalidParameter(
                    model: name, name: "pooling", value: text,
                    expected: LlamaPooling.allCases.map(\.rawValue).joined(separator: ", "))
            }
            pooling = value
        }
    }

    /// The context parameters for a loaded model.
    /// - Parameter model: The model, for its trained context length.
    func contextParameters(for model: LlamaModel) -> LlamaContext.Parameters {
        let trained = model.trainedContextLength > 0 ? model.trainedContextLength : 4096
        let length = contextLength ?? min(trained, 4096)
        let batch = batchSize ?? (embeddingMode ? length : min(512, length))
        return LlamaContext.Parameters(
            contextLength: length, batchSize: batch, threads: threads, embeddings: embeddingMode,
            pooling: embeddingMode ? pooling : nil)
    }

    private static func positive(_ value: Int?, _ field: String, model: String) throws -> Int? {
        guard let value else { return nil }
        guard value > 0, value <= Int(Int32.max) else {
            throw LlamaError.invalidParameter(model: model, name: field, value: "\(value)", expected: "a positive number")
        }
        return value
    }
}
