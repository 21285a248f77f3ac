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
    /// Requests generating at once: the context's sequences (`n_seq_max`) for an `llm`.
    var parallel: Int
    /// Requests that may wait for a sequence slot before new ones are refused.
    var queueCapacity: Int
    /// Layers to offload to a GPU (`n_gpu_layers`); this CPU-only build ignores it.
    var gpuLayers: Int
    /// A chat template name (one of `llama_chat_builtin_templates`) or template text overriding the model's.
    var chatTemplate: String?

    /// Sequences an embedding context packs into one decode (one per input).
    static let embeddingSequences = 64

    /// Every parameter key ``init(_:)`` reads.
    static let parameterKeys: Set<String> = ["chatTemplate", "gpuLayers", "mmap", "pooling", "seed"]

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
        parallel = try Self.positive(configuration.parallel, "parallel", model: name) ?? (embeddingMode ? 1 : 4)
        guard parallel <= 256 else {
            throw LlamaError.invalidParameter(
                model: name, name: "parallel", value: "\(parallel)", expected: "at most 256 (libllama's LLAMA_MAX_SEQ)")
        }
        queueCapacity = max(0, configuration.queueCapacity)
        let parameters = configuration.parameters
        if let text = parameters["gpuLayers"] {
            guard let value = Int32(text), value >= -1 else {
                throw LlamaError.invalidParameter(
                    model: name, name: "gpuLayers", value: text, expected: "-1 (all layers), 0 or a positive count")
            }
            gpuLayers = Int(value)
        } else {
            gpuLayers = 0
        }
        chatTemplate = parameters["chatTemplate"].flatMap { $0.isEmpty ? nil : $0 }
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
    ///
    /// An `llm` gets `parallel` sequences with a KV buffer each (`kv_unified` off), every one `contextLength`
    /// long, so the cache holds `parallel × contextLength` cells. An embedding model gets one shared buffer of
    /// `contextLength` cells that up to ``embeddingSequences`` inputs share per decode, stored as F32: with F16
    /// cells, the last-bit differences between batched and single-input kernels become F16 rounding steps (about
    /// 1e-3 relative), so batched and one-at-a-time vectors would differ visibly. The batch holds at least one
    /// token per sequence.
    /// - Parameter model: The model, for its trained context length.
    func contextParameters(for model: LlamaModel) -> LlamaContext.Parameters {
        let trained = model.trainedContextLength > 0 ? model.trainedContextLength : 4096
        let length = contextLength ?? min(trained, 4096)
        let batch = batchSize ?? (embeddingMode ? length : min(512, length))
        // libllama needs room for one output per sequence in a batch (n_outputs_max = n_batch).
        if embeddingMode {
            return LlamaContext.Parameters(
                contextLength: length, batchSize: batch, threads: threads, embeddings: true, pooling: pooling,
                sequences: min(Self.embeddingSequences, batch), unifiedCache: true, fullPrecisionCache: true)
        }
        return LlamaContext.Parameters(
            contextLength: length * parallel, batchSize: max(batch, parallel), threads: threads, embeddings: false,
            pooling: nil, sequences: parallel, unifiedCache: false)
    }

    private static func positive(_ value: Int?, _ field: String, model: String) throws -> Int? {
        guard let value else { return nil }
        guard value > 0, value <= Int(Int32.max) else {
            throw LlamaError.invalidParameter(model: model, name: field, value: "\(value)", expected: "a positive number")
        }
        return value
    }
}
