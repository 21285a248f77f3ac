import CLlama

/// Owns one `llama_sampler` chain and frees it (with every sampler added to it) with `llama_sampler_free` in
/// `deinit`. One chain serves one generation: it holds the random state and the tokens it has accepted.
///
/// Not `Sendable`: it is created and used inside one generation on the engine's serial queue.
final class LlamaSampler {
    private let pointer: UnsafeMutablePointer<llama_sampler>

    /// Builds the chain: greedy when `temperature` is 0, else top-k → top-p → temperature → a seeded draw.
    /// - Parameters:
    ///   - temperature: 0 for greedy decoding, else the softmax temperature.
    ///   - topK: Keep the `topK` most likely tokens (0 keeps all).
    ///   - topP: Keep the smallest set of tokens whose probabilities sum to `topP` (1 keeps all).
    ///   - seed: The seed of the random draw; `LLAMA_DEFAULT_SEED` picks a random one.
    init(temperature: Float, topK: Int, topP: Float, seed: UInt32) {
        var params = llama_sampler_chain_default_params()
        params.no_perf = true
        pointer = llama_sampler_chain_init(params)
        if temperature <= 0 {
            llama_sampler_chain_add(pointer, llama_sampler_init_greedy())
            return
        }
        if topK > 0 { llama_sampler_chain_add(pointer, llama_sampler_init_top_k(Int32(clamping: topK))) }
        if topP < 1 { llama_sampler_chain_add(pointer, llama_sampler_init_top_p(topP, 1)) }
        llama_sampler_chain_add(pointer, llama_sampler_init_temp(temperature))
        llama_sampler_chain_add(pointer, llama_sampler_init_dist(seed))
    }

    deinit { llama_sampler_free(pointer) }

    /// Samples and accepts the next token from the last output of the latest decode (`llama_sampler_sample`).
    /// - Parameter context: The context that just decoded.
    /// - Returns: The token id.
    func sample(from context: LlamaContext) -> Int32 {
        context.withUnsafePointer { llama_sampler_sample(pointer, $0, -1) }
    }
}
