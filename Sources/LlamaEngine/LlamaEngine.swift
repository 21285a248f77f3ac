import Dispatch
import ModelPreflight
public import ModelRegistry

/// Serves one llama.cpp (GGUF) model: text generation for `llm` models, embeddings for `embedding` models.
///
/// Every blocking libllama call runs on the engine's own serial dispatch queue, never on Swift's cooperative pool,
/// and one call at a time (a llama context is not thread-safe); async methods wait for it through continuations.
/// Tokenizing and building a request's sampler only read the vocabulary and run on the caller's thread.
/// Before libllama opens a file, ``GGUFValidator`` checks it, so a corrupt file is an error, not a crashed process.
///
/// ```swift
/// let engine = LlamaEngine()
/// try await engine.load(EngineLoadContext(modelID: ModelID(), configuration: ModelConfiguration(
///     name: "tiny", engine: .llamacpp, modelType: .llm, path: "/models/tiny-llama.gguf", contextLength: 512)))
/// for try await piece in engine.generate(prompt: "hello", options: GenerationOptions(maxTokens: 8)) {
///     print(piece.text, terminator: "")
/// }
/// await engine.unload()
/// ```
///
/// What the engine reads from the ``ModelConfiguration``:
///
/// | Setting | Source | Default |
/// |---|---|---|
/// | context length per request | `contextLength` (libllama rounds it up to a multiple of 256) | the trained length, at most 4096 |
/// | requests generating at once | `parallel` (sequences of the one context; each has its own KV cells) | 4 (`llm`), 1 (`embedding`) |
/// | requests waiting for a sequence | `queueCapacity` (then ``LlamaError/queueFull(model:running:queued:capacity:)``) | 64 |
/// | batch size | `batchSize` | 512 (LLM); the context length (embedding: one input is one batch) |
/// | threads | `threads` | the active processor count, at most 8 |
/// | memory-map the weights | `parameters["mmap"]` (`true`/`false`) | `true` |
/// | default sampling seed | `parameters["seed"]` (a `UInt32`) | a random seed per generation |
/// | embedding pooling | `parameters["pooling"]` (`mean`, `cls`, `last`, `none`) | the model's metadata |
/// | chat template | `parameters["chatTemplate"]`: a name from `llama_chat_builtin_templates` or template text | the model's `tokenizer.chat_template` |
/// | GPU layers | `parameters["gpuLayers"]` → `n_gpu_layers` (-1 = all; this CPU-only build ignores it) | 0 |
///
/// Generations run through one scheduling loop (continuous batching): each step decodes the next token of every
/// generating request plus chunks of new prompts in one `llama_decode`. A request takes the free sequence whose
/// cached tokens share the longest prefix with its prompt and decodes only the rest (the prompt cache), which
/// ``GenerationUsage/cachedTokens`` reports.
///
/// `modelType == .embedding` creates the context with embeddings on (for ``embed(_:)``); any other type loads the
/// model for ``generate(prompt:options:)``. Set `MODELREGISTRY_LLAMA_LOG` (`debug`, `info`, `warn`, `error`) to
/// see libllama's own log on stderr; it is silent otherwise.
public final class LlamaEngine: InferenceEngine {
    /// The engine's lifecycle.
    enum Phase {
        case empty
        case loading(name: String)
        case loaded(LlamaSession)
        case unloaded(name: String)
    }

    let queue = DispatchQueue(label: "ModelRegistry.LlamaEngine")
    let phase = Locked<Phase>(.empty)

    /// Creates an engine that holds no model yet.
    public init() {}

    deinit {
        if case .loaded(let session) = phase.withLock({ $0 }) {
            session.close()
            session.scheduler?.beginClosing()
        }
    }

    /// Validates and loads the GGUF file at `context.configuration.path`, then creates its context (with
    /// embeddings on when the model type is `embedding`). Runs `llama_model_load_from_file` and
    /// `llama_init_from_model` on the engine's queue, reporting libllama's progress to `context.reportProgress`.
    /// - Parameter context: The model's public name and configuration.
    /// - Throws: ``LlamaError``: ``LlamaError/alreadyLoaded(model:)``, ``LlamaError/invalidParameter(model:name:value:expected:)``,
    ///   ``LlamaError/invalidModelFile(model:problem:)``, ``LlamaError/modelLoadFailed(model:path:reason:)``,
    ///   ``LlamaError/contextCreationFailed(model:reason:)``; `PreflightError` when the preflight child (see
    ///   `PreflightMode`) crashed, timed out or cannot be found, when the file changed after its preflight
    ///   (`PreflightError.fileChanged`), or when the child refused the file for a reason other than libllama's own
    ///   (`PreflightError.childRefused`; libllama's refusal in the child is ``LlamaError/modelLoadFailed(model:path:reason:)``,
    ///   and the file is then not opened in this process); `CancellationError` when the task was cancelled before
    ///   the load started, or ``unload()`` was called while it ran (what it loaded is then freed).
    public func load(_ context: EngineLoadContext) async throws {
        let options = try LlamaLoadOptions(context.configuration)
        let clearance = try await Preflight.check(context) { (try? GGUFValidator().validate(path: $0)) != nil }  // issue 11
        try phase.withLock { phase in
            switch phase {
            case .empty, .unloaded: phase = .loading(name: options.name)
            case .loading(let name): throw LlamaError.alreadyLoaded(model: name)
            case .loaded(let session): throw LlamaError.alreadyLoaded(model: session.info.name)
            }
        }
        do {
            try await onQueue {
                // Not a file swapped in after its preflight, nor one the child's libllama refused; libllama
                // reports the weights' progress and stops at once when unload() ran meanwhile.
                let session = try LlamaSession.open(
                    options, queue: self.queue, beforeOpening: { try Self.confirm(clearance, options: options) }
                ) { fraction in
                    context.reportProgress(Double(fraction))
                    return self.phase.withLock { if case .loading = $0 { true } else { false } }
                }
                try self.phase.withLock { phase in
                    guard case .loading = phase else { throw CancellationError() }  // unload() ran meanwhile
                    phase = .loaded(session)
                }
            }
        } catch {
            phase.withLock { phase in
                if case .loading = phase { phase = .empty }
            }
            throw error
        }
    }

    /// Frees the model, its context and its caches. Every running generation (and every one waiting for a
    /// sequence) ends with ``StopReason/cancelled``, a decode in progress is aborted; a running load is abandoned
    /// (it throws `CancellationError` and frees what it loaded); calls that arrive afterwards throw
    /// ``LlamaError/notLoaded(model:)``. Returns once the scheduling loop has stopped and the engine's queue has
    /// finished whatever it was running.
    public func unload() async {
        let (session, wasBusy): (LlamaSession?, Bool) = phase.withLock { phase in
            switch phase {
            case .loaded(let session):
                phase = .unloaded(name: session.info.name)
                return (session, true)
            case .loading(let name):
                phase = .unloaded(name: name)
                return (nil, true)
            case .empty, .unloaded:
                return (nil, false)
            }
        }
        session?.close()
        await session?.scheduler?.close()
        guard wasBusy else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    /// Healthy while a model is loaded; unhealthy (with the reason) otherwise.
    /// - Returns: The engine's health.
    public func healthCheck() async -> ModelHealth {
        switch phase.withLock({ $0 }) {
        case .loaded(let session): session.isClosed ? .unhealthy(reason: "model \"\(session.info.name)\" is unloading") : .healthy
        case .loading(let name): .unhealthy(reason: "model \"\(name)\" is still loading")
        case .unloaded(let name): .unhealthy(reason: "model \"\(name)\" was unloaded")
        case .empty: .unhealthy(reason: "no model loaded")
        }
    }

    /// The bytes the loaded model holds: the weights (`llama_model_size`) plus an estimate of the F16 KV cache for
    /// the whole context: for an `llm`, `parallel × contextLength` cells (each sequence has its own), each cell
    /// `2 × layers × n_embd_kv × 2` bytes. Compute buffers are not counted. `nil` when no model is loaded.
    /// - Returns: The estimate in bytes.
    public func memoryFootprint() async -> Int? { loadedInfo?.memoryFootprint }

    /// The width of the vectors ``embed(_:)`` returns (the model's `n_embd_out`: its `embedding_length_out` where the file sets one, else `n_embd`); `nil` when no model is loaded.
    public var embeddingDimension: Int? { loadedInfo?.embeddingLength }

    /// The number of tokens in the model's vocabulary; `nil` when no model is loaded.
    public var vocabularySize: Int? { loadedInfo?.vocabularySize }

    /// The context length one request can use (tokens of prompt plus output; `llama_n_ctx_seq`, libllama pads it to
    /// a multiple of 256 when there are several sequences); `nil` when no model is loaded.
    public var contextLength: Int? { loadedInfo?.contextLength }

    /// Requests that generate at once (the context's sequences, the `parallel` setting); `nil` when no model is
    /// loaded.
    public var parallel: Int? { loadedInfo.map { $0.embeddingMode ? 1 : $0.sequences } }

    var loadedInfo: LlamaModelInfo? {
        phase.withLock { phase in
            if case .loaded(let session) = phase { session.info } else { nil }
        }
    }
}
