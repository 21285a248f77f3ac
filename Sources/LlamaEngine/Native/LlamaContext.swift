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
        params.n_seq_max = 1
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

    /// The context length actually in use (`llama_n_ctx`).
    var contextLength: Int { Int(llama_n_ctx(pointer)) }
    /// The largest batch one `llama_decode` accepts (`llama_n_batch`).
    var batchSize: Int { Int(llama_n_batch(pointer)) }
    /// How embeddings are pooled per sequence (`llama_pooling_type`).
    var pooling: LlamaPooling { LlamaPooling(native: llama_pooling_type(pointer)) }

    /// Forgets every cached token (`llama_memory_clear`), so the next decode starts at position 0.
    func clearMemory() {
        if let memory = llama_get_memory(pointer) { llama_memory_clear(memory, true) }
    }

    /// `llama_decode`'s status when the abort callback stopped the computation.
    static let abortedStatus: Int32 = 2

    /// Decodes `count` tokens starting at `start` as one batch of sequence 0 (`llama_batch_get_one` + `llama_decode`).
    ///
    /// `shouldAbort` is installed as the context's abort callback (`llama_set_abort_callback`) for this call only:
    /// ggml asks it between the graph's operations, so a long batch stops part-way instead of running to its end.
    /// It may be called from one of ggml's compute threads, hence `@Sendable`.
    /// - Parameters:
    ///   - tokens: The token ids.
    ///   - start: The first token of the batch.
    ///   - count: How many tokens to decode.
    ///   - shouldAbort: Returns `true` to abandon the decode.
    /// - Returns: `llama_decode`'s status: 0 on success, 1 when no KV slot is free, ``abortedStatus`` when
    ///   `shouldAbort` stopped it, < 0 on errors.
    func decode(
        _ tokens: inout [Int32], from start: Int, count: Int, abortingWhen shouldAbort: @Sendable () -> Bool
    ) -> Int32 {
        withoutActuallyEscaping(shouldAbort) { check in
            let probe = AbortProbe(check)
            llama_set_abort_callback(pointer, { data in
                guard let data else { return false }
                return Unmanaged<AbortProbe>.fromOpaque(data).takeUnretainedValue().shouldAbort()
            }, Unmanaged.passUnretained(probe).toOpaque())
            defer { llama_set_abort_callback(pointer, nil, nil) }
            return withExtendedLifetime(probe) {
                tokens.withUnsafeMutableBufferPointer { buffer in
                    guard let base = buffer.baseAddress, start >= 0, count > 0, start + count <= buffer.count else {
                        return -1
                    }
                    return llama_decode(pointer, llama_batch_get_one(base + start, Int32(count)))
                }
            }
        }
    }

    /// The embedding of sequence 0 after a decode: the pooled vector (`llama_get_embeddings_seq`), or the last
    /// token's vector (`llama_get_embeddings_ith(-1)`) when the context does not pool.
    /// - Parameter width: The embedding width (`n_embd`).
    /// - Returns: The vector, or `nil` when libllama has none.
    func embedding(width: Int) -> [Float]? {
        let vector = pooling == .none ? llama_get_embeddings_ith(pointer, -1) : llama_get_embeddings_seq(pointer, 0)
        guard let vector else { return nil }
        return Array(UnsafeBufferPointer(start: vector, count: width))
    }
}

/// Carries a decode's abort check through the `void *` of libllama's abort callback; lives only for that decode.
private final class AbortProbe {
    let shouldAbort: @Sendable () -> Bool
    init(_ shouldAbort: @escaping @Sendable () -> Bool) { self.shouldAbort = shouldAbort }
}
