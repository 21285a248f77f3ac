import Dispatch
import Synchronization

/// What a loaded model is, readable from any thread.
struct LlamaModelInfo: Sendable {
    var name: String
    var modelTypeName: String
    var embeddingMode: Bool
    var embeddingLength: Int
    var vocabularySize: Int
    /// The positions one request can use (`llama_n_ctx_seq` for an `llm`; the whole context for embeddings).
    var contextLength: Int
    var batchSize: Int
    /// Sequences in the context (`n_seq_max`).
    var sequences: Int
    var defaultSeed: UInt32?
    /// The chat template override from the `chatTemplate` parameter.
    var chatTemplate: String?
    /// `llama_model_size` plus an estimate of the F16 KV cache for the whole context, every sequence's cells
    /// included (compute buffers excluded).
    var memoryFootprint: Int
}

/// One loaded model: the context (which keeps the model alive), what is known about them, and for an `llm` the
/// ``LlamaScheduler`` that runs its generations.
///
/// `@unchecked Sendable` because the engine hands it to its serial queue: the context is used only by blocks on
/// that queue, one at a time. What other threads touch is `info` (immutable and `Sendable`), the closed flag (an
/// `Atomic`), the scheduler's submission (locked) and the model's vocabulary (read-only after the load), through
/// which requests are tokenized and their samplers built on the caller's thread.
final class LlamaSession: @unchecked Sendable {
    let info: LlamaModelInfo
    let context: LlamaContext
    var model: LlamaModel { context.model }
    /// The generation loop; `nil` for an embedding model.
    let scheduler: LlamaScheduler?
    private let closed = Atomic<Bool>(false)

    private init(info: LlamaModelInfo, context: LlamaContext, scheduler: LlamaScheduler?) {
        self.info = info
        self.context = context
        self.scheduler = scheduler
    }

    /// Validates the file, then loads the model and creates its context. Blocks: call it on the engine's queue.
    /// - Parameters:
    ///   - options: The checked load settings.
    ///   - queue: The engine's queue, on which the scheduling loop runs.
    ///   - beforeOpening: Runs after the validator, just before libllama opens the file (the preflight's
    ///     confirmation); what it throws ends the load.
    ///   - progress: Receives the fraction of the weights loaded; returning `false` abandons the load.
    /// - Returns: The session.
    /// - Throws: ``LlamaError`` naming the model: an invalid file, or libllama's reason for refusing it;
    ///   what `beforeOpening` throws; `CancellationError` when `progress` abandoned the load.
    static func open(
        _ options: LlamaLoadOptions, queue: DispatchQueue, beforeOpening: () throws -> Void = {},
        progress: @escaping (Float) -> Bool = { _ in true }
    ) throws -> LlamaSession {
        let name = options.name
        do {
            _ = try GGUFValidator().validate(path: options.path)
        } catch let problem as GGUFValidationError {
            throw LlamaError.invalidModelFile(model: name, problem: problem)
        }
        try beforeOpening()
        LlamaBackend.ensureInitialized()
        LlamaLog.beginCapture()
        defer { _ = LlamaLog.takeCaptured() }
        var abandoned = false
        let model = LlamaModel(path: options.path, useMmap: options.useMmap, gpuLayers: options.gpuLayers) { fraction in
            abandoned = !progress(fraction)
            return !abandoned
        }
        guard let model else {
            if abandoned { throw CancellationError() }
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
        let cellBytes = options.embeddingMode ? 4 : 2  // F32 cache for embeddings, F16 otherwise
        let kvBytes = context.totalContextLength * model.layerCount * 2 * headDimension * model.keyValueHeadCount * cellBytes
        let info = LlamaModelInfo(
            name: name, modelTypeName: options.modelType.rawValue, embeddingMode: options.embeddingMode,
            embeddingLength: model.embeddingOutputLength, vocabularySize: model.vocabularySize,
            contextLength: options.embeddingMode ? context.totalContextLength : context.sequenceContextLength,
            batchSize: context.batchSize, sequences: context.sequenceCount, defaultSeed: options.seed,
            chatTemplate: options.chatTemplate, memoryFootprint: model.weightBytes + kvBytes)
        let scheduler = options.embeddingMode
            ? nil : LlamaScheduler(info: info, context: context, queue: queue, queueCapacity: options.queueCapacity)
        return LlamaSession(info: info, context: context, scheduler: scheduler)
    }

    /// Whether ``close()`` was called; generation loops check it before each decode.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Marks the session closed, so running generations stop at their next step. Safe from any thread.
    func close() { closed.store(true, ordering: .releasing) }

    /// Tokenizes text (any thread: it reads only the vocabulary).
    /// - Throws: ``LlamaError/tokenizationFailed(model:reason:)``.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool = false) throws -> [Int32] {
        guard let tokens = model.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial) else {
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

    /// Decodes a filled batch (queue only), abandoning it part-way once the session is closed.
    /// - Returns: `false` when closing stopped the decode, `true` when it completed.
    /// - Throws: ``LlamaError/decodeFailed(model:status:reason:)`` with libllama's message.
    func decode(_ batch: LlamaBatch) throws -> Bool {
        LlamaLog.beginCapture()
        let status = context.decode(batch) { [self] in isClosed }
        let captured = LlamaLog.takeCaptured()
        if status == LlamaContext.abortedStatus { return false }
        guard status == 0 else {
            throw LlamaError.decodeFailed(
                model: info.name, status: status, reason: captured ?? LlamaError.decodeStatusMeaning(status))
        }
        return true
    }
}
