/// One sequence of the context (`seq_id` = ``id``): the tokens its KV cache holds, kept after a request ends so
/// that the next request with the same prefix decodes only the rest (the prompt cache), and the request it serves.
struct SequenceSlot {
    let id: Int
    /// The tokens in this sequence's KV cache, positions `0..<cached.count`.
    var cached: [Int32] = []
    /// The request generating on this sequence; `nil` when the slot is free.
    var request: GenerationRequest?
    /// When the slot last finished a request, for choosing among slots with equally long prefixes.
    var lastUsed: UInt64 = 0

    init(id: Int) { self.id = id }

    /// The length of the common prefix of the cached tokens and `tokens`.
    func commonPrefix(with tokens: [Int32]) -> Int {
        var length = 0
        let limit = min(cached.count, tokens.count)
        while length < limit, cached[length] == tokens[length] { length += 1 }
        return length
    }
}
