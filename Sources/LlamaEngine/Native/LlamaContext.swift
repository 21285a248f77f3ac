import CLlama

/// Owns one `llama_context` (KV cache, compute buffers) and frees it with `llama_free` in `deinit`. It keeps its
/// ``LlamaModel`` alive, since a context must not outlive its model.
///
/// Not `Sendable` and not thread-safe (llama.cpp contexts are not): an instance lives in a ``LlamaSession`` and is
/// used only on its engine's serial queue.
final class LlamaContext {
    /// What the context is created with.
    struct Parameters {
        var contextLength: Int
        var batchSize: Int
        var threads: Int
        var embeddings: Bool
        var pooling: LlamaPooling?
        /// Sequences the context holds at once (`n_seq_max`).
        var sequences: Int
        /// One KV buffer shared by all sequences (`kv_unified`): `contextLength` is then the total; otherwise each
        /// sequence gets its own `contextLength / sequences` cells (libllama pads that to a multiple of 256).
        var unifiedCache: Bool
        /// Store keys and values as F32 instead of F16 (`type_k`, `type_v`), without flash attention (whose CPU kernel
        /// rounds to F16).
        var fullPrecisionCache = false
    }

    let model: LlamaModel
    private let pointer: OpaquePointer

    /// Creates a context with `llama_init_from_model`.
    /// - Parameters:
    ///   - model: The model.
    ///   - parameters: Context length, batch size, threads and embedding mode.
    /// - Returns: `nil` when libllama cannot create it (its reason is in ``LlamaLog``'s capture).
    init?(model: LlamaModel, parameters: Parameters) {
        var params = llama_context_default_params()
        params.n_ctx = UInt32(clamping: parameters.contextLength)
        params.n_batch = UInt32(clamping: parameters.batchSize)
        params.n_ubatch = UInt32(clamping: parameters.batchSize)
        params.n_seq_max = UInt32(clamping: parameters.sequences)
        params.kv_unified = parameters.unifiedCache
        if parameters.fullPrecisionCache {
            params.type_k = GGML_TYPE_F32
            params.type_v = GGML_TYPE_F32
            params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED  // the CPU kernel rounds Q to F16
        }
        params.n_threads = Int32(clamping: parameters.threads)
        params.n_threads_batch = Int32(clamping: parameters.threads)
        params.embeddings = parameters.embeddings
        params.no_perf = true
        if let pooling = parameters.pooling { params.pooling_type = pooling.native }
        guard let context = model.withUnsafePointer({ llama_init_from_model($0, params) }) else { return nil }
        self.model = model
        pointer = context
    }

    deinit { llama_free(pointer) }

    /// Calls `body` with the raw `llama_context *`, which must not escape it.
    func withUnsafePointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(pointer) }

    /// The cells of the whole KV cache (`llama_n_ctx`).
    var totalContextLength: Int { Int(llama_n_ctx(pointer)) }
    /// The positions one sequence can hold (`llama_n_ctx_seq`).
    var sequenceContextLength: Int { Int(llama_n_ctx_seq(pointer)) }
    /// Sequences the context holds at once (`llama_n_seq_max`).
    var sequenceCount: Int { Int(llama_n_seq_max(pointer)) }
    /// The largest batch one `llama_decode` accepts (`llama_n_batch`).
    var batchSize: Int { Int(llama_n_batch(pointer)) }
    /// How embeddings are pooled per sequence (`llama_pooling_type`).
    var pooling: LlamaPooling { LlamaPooling(native: llama_pooling_type(pointer)) }

    /// Forgets every cached token (`llama_memory_clear`), so the next decode starts at position 0.
    func clearMemory() {
        if let memory = llama_get_memory(pointer) { llama_memory_clear(memory, true) }
    }

    /// Forgets the cached tokens of `sequence` from `position` on (`llama_memory_seq_rm`).
    ///
    /// Recurrent memory (Mamba, RWKV, and the hybrid models' recurrent layers) keeps one state per sequence, not one
    /// entry per token, so it cannot forget only the end of a sequence: it then refuses and keeps every token.
    /// - Returns: Whether the tokens were removed; `false` when the memory cannot remove part of the sequence.
    func removeTokens(of sequence: Int, from position: Int) -> Bool {
        guard let memory = llama_get_memory(pointer) else { return true }
        return llama_memory_seq_rm(memory, Int32(clamping: sequence), Int32(clamping: position), -1)
    }

    /// Forgets every cached token of `sequence` (`llama_memory_seq_rm` of the whole range, which every kind of
    /// memory can do).
    func removeSequence(_ sequence: Int) {
        if let memory = llama_get_memory(pointer) { _ = llama_memory_seq_rm(memory, Int32(clamping: sequence), -1, -1) }
    }

    /// The last position `sequence` holds in the KV cache (`llama_memory_seq_pos_max`), -1 when it holds none.
    func lastPosition(of sequence: Int) -> Int {
        guard let memory = llama_get_memory(pointer) else { return -1 }
        return Int(llama_memory_seq_pos_max(memory, Int32(clamping: sequence)))
    }

    /// `llama_decode`'s status when the abort callback stopped the computation.
    static let abortedStatus: Int32 = 2

    /// Decodes a filled ``LlamaBatch`` with `llama_decode`.
    ///
    /// `shouldAbort` is installed as the context's abort callback (`llama_set_abort_callback`) for this call only:
    /// ggml asks it between the graph's operations, so a long batch stops part-way instead of running to its end.
    /// It may be called from one of ggml's compute threads, hence `@Sendable`.
    /// - Parameters:
    ///   - batch: The tokens.
    ///   - shouldAbort: Returns `true` to abandon the decode.
    /// - Returns: `llama_decode`'s status: 0 on success, 1 when no KV slot is free, ``abortedStatus`` when
    ///   `shouldAbort` stopped it, < 0 on errors.
    func decode(_ batch: LlamaBatch, abortingWhen shouldAbort: @Sendable () -> Bool) -> Int32 {
        withAbortCallback(shouldAbort) { batch.withNative { llama_decode(pointer, $0) } }
    }

    /// The embedding of `sequence` after a decode: its pooled vector (`llama_get_embeddings_seq`), or, when the
    /// context does not pool, the vector of the batch token at `lastIndex` (`llama_get_embeddings_ith`).
    /// - Returns: The vector, or `nil` when libllama has none.
    func embedding(of sequence: Int, lastIndex: Int32, width: Int) -> [Float]? {
        let vector = pooling == .none
            ? llama_get_embeddings_ith(pointer, lastIndex) : llama_get_embeddings_seq(pointer, Int32(clamping: sequence))
        guard let vector else { return nil }
        return Array(UnsafeBufferPointer(start: vector, count: width))
    }

    /// Runs `body` with `shouldAbort` installed as the context's abort callback (`llama_set_abort_callback`).
    private func withAbortCallback<R>(_ shouldAbort: @Sendable () -> Bool, _ body: () -> R) -> R {
        withoutActuallyEscaping(shouldAbort) { check in
            let probe = AbortProbe(check)
            llama_set_abort_callback(pointer, { data in
                guard let data else { return false }
                return Unmanaged<AbortProbe>.fromOpaque(data).takeUnretainedValue().shouldAbort()
            }, Unmanaged.passUnretained(probe).toOpaque())
            defer { llama_set_abort_callback(pointer, nil, nil) }
            return withExtendedLifetime(probe) { body() }
        }
    }
}

/// Carries a decode's abort check through the `void *` of libllama's abort callback; lives only for that decode.
private final class AbortProbe {
    let shouldAbort: @Sendable () -> Bool
    init(_ shouldAbort: @escaping @Sendable () -> Bool) { self.shouldAbort = shouldAbort }
}
