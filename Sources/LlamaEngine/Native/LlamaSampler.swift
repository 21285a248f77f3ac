import CLlama

/// Owns one `llama_sampler` chain and frees it (with every sampler added to it) with `llama_sampler_free` in
/// `deinit`. One chain serves one request: it holds the random state, the penalty window and the grammar's state.
///
/// Not `Sendable`: it is created for one request and then used only by the scheduling loop on the engine's queue.
final class LlamaSampler {
    private let pointer: UnsafeMutablePointer<llama_sampler>
    /// The chain's penalties sampler, when it has one (owned by the chain; fed the prompt tokens).
    private var penalties: UnsafeMutablePointer<llama_sampler>?
    /// One entry per vocabulary token, refilled with the logits for every sample.
    private var candidates: [llama_token_data]

    /// Why a chain could not be built.
    enum Failure: Error {
        /// `llama_sampler_init_grammar` returned NULL; libllama logged the parse error.
        case grammar
    }

    /// Builds the chain in llama.cpp's order: logit bias → penalties → grammar → greedy (temperature 0), or
    /// top-k → top-p → min-p → temperature → a seeded draw. Filters that are switched off are left out.
    /// - Parameters:
    ///   - options: Checked generation options.
    ///   - seed: The seed of the random draw (`LLAMA_DEFAULT_SEED` picks a random one).
    ///   - model: The model, for its vocabulary (grammar, logit bias).
    ///   - contextLength: The window used when `penaltyLastN` is -1.
    /// - Throws: ``Failure/grammar`` when the grammar does not parse.
    init(options: GenerationOptions, seed: UInt32, model: LlamaModel, contextLength: Int) throws(Failure) {
        var params = llama_sampler_chain_default_params()
        params.no_perf = true
        let chain = llama_sampler_chain_init(params)!
        pointer = chain
        candidates = Array(repeating: llama_token_data(id: 0, logit: 0, p: 0), count: model.vocabularySize)
        let vocabularySize = Int32(clamping: model.vocabularySize)
        if !options.logitBias.isEmpty {
            let biases = options.logitBias.sorted { $0.key < $1.key }.map { llama_logit_bias(token: $0.key, bias: $0.value) }
            llama_sampler_chain_add(chain, llama_sampler_init_logit_bias(vocabularySize, Int32(biases.count), biases))
        }
        // libllama allocates the whole window up front; it can never hold more than the context's tokens
        let window = options.penaltyLastN == -1 ? contextLength : min(options.penaltyLastN, contextLength)
        let penalised = options.repeatPenalty != 1 || options.frequencyPenalty != 0 || options.presencePenalty != 0
        if window > 0, penalised {
            let sampler = llama_sampler_init_penalties(
                vocabularySize, Int32(clamping: window), options.repeatPenalty, options.frequencyPenalty,
                options.presencePenalty)
            llama_sampler_chain_add(chain, sampler)
            penalties = sampler
        }
        if let grammar = options.grammar {
            let sampler = model.withUnsafeVocab { llama_sampler_init_grammar($0, grammar, "root") }
            guard let sampler else { throw .grammar }
            llama_sampler_chain_add(chain, sampler)
        }
        if options.temperature <= 0 {
            llama_sampler_chain_add(chain, llama_sampler_init_greedy())
            return
        }
        if options.topK > 0 { llama_sampler_chain_add(chain, llama_sampler_init_top_k(Int32(clamping: options.topK))) }
        if options.topP < 1 { llama_sampler_chain_add(chain, llama_sampler_init_top_p(options.topP, 1)) }
        if options.minP > 0 { llama_sampler_chain_add(chain, llama_sampler_init_min_p(options.minP, 1)) }
        llama_sampler_chain_add(chain, llama_sampler_init_temp(options.temperature))
        llama_sampler_chain_add(chain, llama_sampler_init_dist(seed))
    }

    deinit { llama_sampler_free(pointer) }

    /// Feeds the prompt's tokens to the penalties sampler only (`llama_sampler_accept`), so the penalty window
    /// covers the prompt as in llama.cpp's server; the grammar constrains the output alone.
    /// - Parameter tokens: The prompt's tokens.
    func acceptPrompt(_ tokens: [Int32]) {
        guard let penalties else { return }
        for token in tokens { llama_sampler_accept(penalties, token) }
    }

    /// Samples and accepts the next token from the output at `index` of the latest decode, as `llama_sampler_sample`
    /// does (the chain applied to every token's logit, then the choice accepted), except when the chain excluded every
    /// token: a grammar allowing only tokens the logit bias bans, or a finished grammar in a vocabulary whose
    /// end-of-generation tokens are banned. `llama_sampler_sample` then picks token 0, and the grammar's `accept`
    /// throws a C++ exception through Swift, which ends the process.
    /// - Parameters:
    ///   - context: The context that just decoded.
    ///   - index: The token's index in the decoded batch.
    /// - Returns: The token id, or `nil` when no token may follow (nothing was accepted).
    func sample(from context: LlamaContext, index: Int32) -> Int32? {
        let count = candidates.count
        let chosen = context.withUnsafePointer { native -> Int32? in
            guard let logits = llama_get_logits_ith(native, index) else { return nil }
            return candidates.withUnsafeMutableBufferPointer { buffer -> Int32? in
                for token in 0..<count { buffer[token] = llama_token_data(id: Int32(token), logit: logits[token], p: 0) }
                var array = llama_token_data_array(data: buffer.baseAddress, size: count, selected: -1, sorted: false)
                llama_sampler_apply(pointer, &array)
                guard array.selected >= 0, array.selected < array.size,
                    case let choice = array.data[Int(array.selected)], choice.logit > -.infinity
                else { return nil }
                return choice.id
            }
        }
        if let chosen { llama_sampler_accept(pointer, chosen) }
        return chosen
    }
}
