import CLlama

/// Owns one `llama_batch` allocated with `llama_batch_init` and frees it with `llama_batch_free` in `deinit`:
/// tokens of any sequences, each with its position, its sequence id and whether its logits (or embedding) are
/// wanted.
///
/// Not `Sendable`: it belongs to one ``LlamaSession`` and is filled and decoded on its engine's queue.
final class LlamaBatch {
    private var batch: llama_batch
    /// The most tokens it holds.
    let capacity: Int

    /// Allocates a batch of `capacity` tokens, one sequence id per token.
    /// - Parameter capacity: The most tokens (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        batch = llama_batch_init(Int32(clamping: self.capacity), 0, 1)
    }

    deinit { llama_batch_free(batch) }

    /// Tokens added since the last ``clear()``.
    var count: Int { Int(batch.n_tokens) }

    /// Whether another token fits.
    var isFull: Bool { count >= capacity }

    /// Empties the batch.
    func clear() { batch.n_tokens = 0 }

    /// Adds one token.
    /// - Parameters:
    ///   - token: The token id.
    ///   - position: Its position in its sequence.
    ///   - sequence: The sequence id.
    ///   - wantsOutput: Whether libllama should compute this token's logits (or embedding).
    /// - Returns: The token's index in the batch, for `llama_get_logits_ith` and `llama_sampler_sample`.
    @discardableResult
    func add(_ token: Int32, position: Int, sequence: Int, wantsOutput: Bool) -> Int32 {
        let index = Int(batch.n_tokens)
        precondition(index < capacity, "llama batch overflow")
        batch.token[index] = token
        batch.pos[index] = Int32(clamping: position)
        batch.n_seq_id[index] = 1
        batch.seq_id[index]![0] = Int32(clamping: sequence)
        batch.logits[index] = wantsOutput ? 1 : 0
        batch.n_tokens += 1
        return Int32(index)
    }

    /// Calls `body` with the native batch, which must not escape it.
    func withNative<R>(_ body: (llama_batch) throws -> R) rethrows -> R { try body(batch) }
}
