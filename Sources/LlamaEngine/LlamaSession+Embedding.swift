// MARK: - Embeddings

extension LlamaSession {
    /// Computes the embedding of `text` (queue only): the whole input is decoded as one batch from an empty
    /// context, then the pooled vector is read (the last token's vector when pooling is `none`).
    /// - Parameter text: The text (BOS is added when the model asks for it).
    /// - Returns: `embeddingLength` floats, as libllama computes them (not normalised).
    /// - Throws: ``LlamaError`` for a model not loaded as an embedding model, an input longer than one batch, or a
    ///   failed decode.
    func embed(_ text: String) throws -> [Float] {
        guard info.embeddingMode else {
            throw LlamaError.unsupportedOperation(
                model: info.name, operation: "compute embeddings", modelType: info.modelTypeName, needs: "embedding")
        }
        var tokens = try tokenize(text, addSpecial: true)
        guard !tokens.isEmpty else { throw LlamaError.emptyInput(model: info.name, operation: "embed") }
        let limit = min(info.batchSize, info.contextLength)
        guard tokens.count <= limit else {
            throw LlamaError.inputTooLong(
                model: info.name, tokens: tokens.count, limit: limit,
                setting: info.batchSize < info.contextLength ? "batchSize" : "contextLength")
        }
        context.clearMemory()
        _ = try decode(&tokens, from: 0, count: tokens.count)
        guard let vector = context.embedding(width: info.embeddingLength) else {
            throw LlamaError.embeddingUnavailable(model: info.name, reason: "libllama returned no embedding vector")
        }
        return vector
    }
}
