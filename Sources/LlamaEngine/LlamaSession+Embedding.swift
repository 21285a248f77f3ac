// MARK: - Embeddings

extension LlamaSession {
    /// Computes the embeddings of `texts` (queue only): the inputs are packed into as few decodes as the batch
    /// size and the context's sequences allow, one sequence id per input, and each sequence's pooled vector is read
    /// (its last token's vector when pooling is `none`).
    /// - Parameter texts: The texts (BOS is added when the model asks for it).
    /// - Returns: One vector of `embeddingLength` floats per text, in input order, as libllama computes them (not
    ///   normalised).
    /// - Throws: ``LlamaError`` for a model not loaded as an embedding model, an empty input or one longer than a
    ///   batch, or a failed decode; `CancellationError` when the engine is unloaded meanwhile.
    func embed(_ texts: [String]) throws -> [[Float]] {
        guard info.embeddingMode else {
            throw LlamaError.unsupportedOperation(
                model: info.name, operation: "compute embeddings", modelType: info.modelTypeName, needs: "embedding")
        }
        let limit = min(info.batchSize, info.contextLength)
        let inputs = try texts.map { text in
            let tokens = try tokenize(text, addSpecial: true)
            guard !tokens.isEmpty else { throw LlamaError.emptyInput(model: info.name, operation: "embed") }
            guard tokens.count <= limit else {
                throw LlamaError.inputTooLong(
                    model: info.name, tokens: tokens.count, limit: limit,
                    setting: info.batchSize < info.contextLength ? "batchSize" : "contextLength")
            }
            return tokens
        }
        let batch = LlamaBatch(capacity: limit)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(inputs.count)
        var next = 0
        while next < inputs.count {
            batch.clear()
            var lastIndices: [Int32] = []
            while next + lastIndices.count < inputs.count, lastIndices.count < info.sequences {
                let tokens = inputs[next + lastIndices.count]
                guard batch.count + tokens.count <= batch.capacity else { break }
                let sequence = lastIndices.count
                var last: Int32 = 0
                for (position, token) in tokens.enumerated() {
                    last = batch.add(token, position: position, sequence: sequence, wantsOutput: true)
                }
                lastIndices.append(last)
            }
            context.clearMemory()
            guard try decode(batch) else { throw CancellationError() }
            for (sequence, last) in lastIndices.enumerated() {
                guard let vector = context.embedding(of: sequence, lastIndex: last, width: info.embeddingLength) else {
                    throw LlamaError.embeddingUnavailable(model: info.name, reason: "libllama returned no embedding vector")
                }
                vectors.append(vector)
            }
            next += lastIndices.count
        }
        return vectors
    }
}
