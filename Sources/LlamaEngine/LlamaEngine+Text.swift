// MARK: - Tokens and embeddings

extension LlamaEngine {
    /// Turns text into token ids with `llama_tokenize` (special-token text such as `"<s>"` is not parsed as a
    /// special token).
    /// - Parameters:
    ///   - text: The text.
    ///   - addSpecial: Whether to add the BOS/EOS tokens the model's metadata asks for.
    /// - Returns: The token ids.
    /// - Throws: ``LlamaError/notLoaded(model:)``, ``LlamaError/tokenizationFailed(model:reason:)``, or
    ///   `CancellationError`.
    public func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int32] {
        try await withSession { try $0.tokenize(text, addSpecial: addSpecial) }
    }

    /// Turns text into token ids with `llama_tokenize`, optionally parsing special-token text (such as
    /// `<|im_start|>`) into those tokens, as a chat prompt needs.
    /// - Parameters:
    ///   - text: The text.
    ///   - addSpecial: Whether to add the BOS/EOS tokens the model's metadata asks for.
    ///   - parseSpecial: Whether special-token text becomes special tokens.
    /// - Returns: The token ids.
    /// - Throws: ``LlamaError/notLoaded(model:)``, ``LlamaError/tokenizationFailed(model:reason:)``, or
    ///   `CancellationError`.
    public func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int32] {
        try await withSession { try $0.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial) }
    }

    /// Turns token ids back into text with `llama_detokenize`, dropping BOS/EOS and the leading space the
    /// tokenizer added. Bytes that do not form valid UTF-8 become U+FFFD.
    /// - Parameter tokens: Token ids in `0..<vocabularySize`.
    /// - Returns: The text.
    /// - Throws: ``LlamaError/notLoaded(model:)``, ``LlamaError/invalidToken(model:token:vocabularySize:)``, or
    ///   `CancellationError`.
    public func detokenize(_ tokens: [Int32]) async throws -> String {
        try await withSession { try $0.detokenize(tokens) }
    }

    /// Computes the embedding of `text`: one `llama_decode` of the whole input, then the pooled vector
    /// (`llama_get_embeddings_seq`; the last token's vector with pooling `none`). The model must be loaded with
    /// type `embedding`.
    /// - Parameter text: The text; it must fit in one batch (`batchSize`, by default the context length).
    /// - Returns: ``embeddingDimension`` floats, not normalised.
    /// - Throws: ``LlamaError/unsupportedOperation(model:operation:modelType:needs:)`` for a model loaded as `llm`,
    ///   ``LlamaError/inputTooLong(model:tokens:limit:setting:)``, ``LlamaError/decodeFailed(model:status:reason:)``,
    ///   ``LlamaError/notLoaded(model:)``, or `CancellationError`.
    public func embed(_ text: String) async throws -> [Float] {
        try await withSession { try $0.embed([text])[0] }
    }

    /// Computes the embeddings of many texts in as few `llama_decode` calls as the batch size allows: each input
    /// is one sequence of the batch (up to 64 per decode), and each sequence's pooled vector is read. The results
    /// equal one-at-a-time ``embed(_:)-(String)`` results up to float rounding.
    /// - Parameter texts: The texts; each must fit in one batch.
    /// - Returns: One vector per text, in input order.
    /// - Throws: What ``embed(_:)-(String)`` throws.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        return try await withSession { try $0.embed(texts) }
    }
}
