import Synchronization

/// What a loaded model is, readable from any thread.
struct LlamaModelInfo: Sendable {
    var name: String
    var modelTypeName: String
    var embeddingMode: Bool
    var embeddingLength: Int
    var vocabularySize: Int
    var contextLength: Int
    var batchSize: Int
    var defaultSeed: UInt32?
    /// `llama_model_size` plus an estimate of the F16 KV cache for the whole context (compute buffers excluded).
    var memoryFootprint: Int
}

/// One loaded model: the context (which keeps the model alive) and what is known about them.
///
/// `@unchecked Sendable` because the engine hands it to its serial queue: the native handles and
/// `lastGeneration` are used only by blocks on that queue, one at a time. What other threads touch is
/// `info` (immutable and `Sendable`) and the closed flag (an `Atomic`).
final class LlamaSession: @unchecked Sendable {
    let info: LlamaModelInfo
    let context: LlamaContext
    var model: LlamaModel { context.model }
    private let closed = Atomic<Bool>(false)
    /// How the latest generation went (queue only; read by tests to see where cancellation stopped it).
    var lastGeneration: GenerationTrace?

    private init(info: LlamaModelInfo, context: LlamaContext) {
        self.info = info
        self.context = context
    }

    /// Validates the file, then loads the model and creates its context. Blocks: call it on the engine's queue.
    /// - Parameter options: The checked load settings.
    /// - Returns: The session.
    /// - Throws: ``LlamaError`` naming the model: an invalid file, or libllama's reason for refusing it.
    static func open(_ options: LlamaLoadOptions) throws -> LlamaSession {
        let name = options.name
        do {
            _ = try GGUFValidator().validate(path: options.path)
        } catch let problem as GGUFValidationError {
            throw LlamaError.invalidModelFile(model: name, problem: problem)
        }
        LlamaBackend.ensureInitialized()
        LlamaLog.beginCapture()
        defer { _ = LlamaLog.takeCaptured() }
        guard let model = LlamaModel(path: options.path, useMmap: options.useMmap) else {
            throw LlamaError.modelLoadFailed(
                model: name, path: options.path, reason: LlamaLog.takeCaptured() ?? "libllama gave no reason")
        }
        guard !model.hasEncoder else {
            throw LlamaError.modelLoadFailed(
                model: name, path: options.path, reason: "encoder-decoder models are not supported by this engine")
        }
        guard let context = LlamaContext(model: model, parameters: options.contextParameters(for: model)) else {
            throw LlamaError.contextCreationFailed(model: name, reason: LlamaLog.takeCaptured() ?? "libllama gave no reason")
        }
        let headDimension = model.embeddingLength / max(1, model.headCount)
        let kvBytes = context.contextLength * model.layerCount * 2 * headDimension * model.keyValueHeadCount * 2
        let info = LlamaModelInfo(
            name: name, modelTypeName: options.modelType.rawValue, embeddingMode: options.embeddingMode,
            embeddingLength: model.embeddingLength, vocabularySize: model.vocabularySize,
            contextLength: context.contextLength, batchSize: context.batchSize, defaultSeed: options.seed,
            memoryFootprint: model.weightBytes + kvBytes)
        return LlamaSession(info: info, context: context)
    }

    /// Whether ``close()`` was called; generation loops check it before each decode.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Marks the session closed, so running generations stop at their next step. Safe from any thread.
    func close() { closed.store(true, ordering: .releasing) }

    /// Tokenizes text (queue only).
    /// - Throws: ``LlamaError/tokenizationFailed(model:reason:)``.
    func tokenize(_ text: String, addSpecial: Bool) throws -> [Int32] {
        guard let tokens = model.tokenize(text, addSpecial: addSpecial) else {
            throw LlamaError.tokenizationFailed(model: info.name, reason: "the text has more tokens than fit an Int32")
        }
        return tokens
    }

    /// Detokenizes token ids (queue only); ids outside the vocabulary are refused before libllama sees them.
    /// - Throws: ``LlamaError/invalidToken(model:token:vocabularySize:)``.
    func detokenize(_ tokens: [Int32]) throws -> String {
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= info.vocabularySize }) {
            throw LlamaError.invalidToken(model: info.name, token: bad, vocabularySize: info.vocabularySize)
        }
        return String(decoding: model.detokenize(tokens), as: UTF8.self)
    }

    /// Decodes `count` tokens from `start` (queue only), abandoning the batch part-way once `shouldStop` says so.
    /// - Returns: `false` when `shouldStop` stopped the decode, `true` when it completed.
    /// - Throws: ``LlamaError/decodeFailed(model:status:reason:)`` with libllama's message.
    func decode(
        _ tokens: inout [Int32], from start: Int, count: Int, stoppingWhen shouldStop: @Sendable () -> Bool = { false }
    ) throws -> Bool {
        LlamaLog.beginCapture()
        let status = context.decode(&tokens, from: start, count: count, abortingWhen: shouldStop)
        let captured = LlamaLog.takeCaptured()
        if status == LlamaContext.abortedStatus { return false }
        guard status == 0 else {
            throw LlamaError.decodeFailed(
                model: info.name, status: status, reason: captured ?? LlamaError.decodeStatusMeaning(status))
        }
        return true
    }
}
