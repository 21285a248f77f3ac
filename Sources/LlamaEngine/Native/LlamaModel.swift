import CLlama

/// Owns one `llama_model` (weights and vocabulary) and frees it with `llama_model_free` in `deinit`.
///
/// Not `Sendable`: an instance lives in a ``LlamaSession`` and is used only on its engine's serial queue.
final class LlamaModel {
    private let pointer: OpaquePointer
    /// The vocabulary, owned by the model (valid as long as the model is).
    private let vocab: OpaquePointer

    /// Loads a GGUF file with `llama_model_load_from_file`, CPU only.
    /// - Parameters:
    ///   - path: The GGUF file, already checked by ``GGUFValidator``.
    ///   - useMmap: Whether to memory-map the weights instead of reading them into memory.
    ///   - gpuLayers: Layers to offload to a GPU backend (`n_gpu_layers`; -1 for all); ignored by a CPU-only
    ///     libllama.
    ///   - progress: Receives the fraction loaded (`progress_callback`), on the loading thread; returning `false`
    ///     aborts the load (the model is then `nil`).
    /// - Returns: `nil` when libllama refuses the file (its reason is in ``LlamaLog``'s capture) or `progress`
    ///   aborted the load.
    init?(path: String, useMmap: Bool, gpuLayers: Int = 0, progress: @escaping (Float) -> Bool = { _ in true }) {
        LlamaBackend.ensureInitialized()
        var params = llama_model_default_params()
        params.n_gpu_layers = Int32(clamping: gpuLayers)
        params.load_mode = useMmap && llama_supports_mmap() ? LLAMA_LOAD_MODE_MMAP : LLAMA_LOAD_MODE_NONE
        let box = Unmanaged.passRetained(ProgressBox(progress))
        defer { box.release() }  // libllama calls back only during llama_model_load_from_file
        params.progress_callback = { fraction, userData in
            guard let userData else { return true }
            return Unmanaged<ProgressBox>.fromOpaque(userData).takeUnretainedValue().report(fraction)
        }
        params.progress_callback_user_data = box.toOpaque()
        guard let model = llama_model_load_from_file(path, params) else { return nil }
        guard let vocab = llama_model_get_vocab(model) else {
            llama_model_free(model)
            return nil
        }
        pointer = model
        self.vocab = vocab
    }

    deinit { llama_model_free(pointer) }

    /// Carries the progress closure through libllama's `void *` user data.
    private final class ProgressBox {
        let report: (Float) -> Bool
        init(_ report: @escaping (Float) -> Bool) { self.report = report }
    }

    /// Calls `body` with the raw `llama_model *`, which must not escape it.
    func withUnsafePointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(pointer) }

    /// Calls `body` with the raw `llama_vocab *`, which must not escape it.
    func withUnsafeVocab<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(vocab) }

    /// The embedding width (`llama_model_n_embd`).
    var embeddingLength: Int { Int(llama_model_n_embd(pointer)) }
    /// The width of the embeddings a context returns (`llama_model_n_embd_out`): `embedding_length_out` where the
    /// file sets it (e.g. LFM2 ColBERT, 128 of 1,024), else ``embeddingLength``. libllama sizes its output buffers
    /// by it, so a vector is read with this width.
    var embeddingOutputLength: Int { Int(llama_model_n_embd_out(pointer)) }
    /// The context length the model was trained with (`llama_model_n_ctx_train`).
    var trainedContextLength: Int { Int(llama_model_n_ctx_train(pointer)) }
    /// Layers (`llama_model_n_layer`).
    var layerCount: Int { Int(llama_model_n_layer(pointer)) }
    /// Attention heads (`llama_model_n_head`).
    var headCount: Int { Int(llama_model_n_head(pointer)) }
    /// Key/value heads (`llama_model_n_head_kv`).
    var keyValueHeadCount: Int { Int(llama_model_n_head_kv(pointer)) }
    /// The bytes of all weights (`llama_model_size`).
    var weightBytes: Int { Int(clamping: llama_model_size(pointer)) }
    /// The number of tokens in the vocabulary (`llama_vocab_n_tokens`).
    var vocabularySize: Int { Int(llama_vocab_n_tokens(vocab)) }
    /// Whether the model has an encoder (encoder-decoder models need `llama_encode`, which this engine does not run).
    var hasEncoder: Bool { llama_model_has_encoder(pointer) }

    /// The chat template in the model's metadata (`llama_model_chat_template`, `tokenizer.chat_template`), if any.
    var chatTemplate: String? { llama_model_chat_template(pointer, nil).map { String(cString: $0) } }

    /// The BOS token tokenization adds (`llama_vocab_bos` when `llama_vocab_get_add_bos`), if any.
    var addedBOS: Int32? { llama_vocab_get_add_bos(vocab) ? llama_vocab_bos(vocab) : nil }

    /// Whether `token` ends generation (`llama_vocab_is_eog`: EOS, EOT and the like).
    func isEndOfGeneration(_ token: Int32) -> Bool { llama_vocab_is_eog(vocab, token) }
}
