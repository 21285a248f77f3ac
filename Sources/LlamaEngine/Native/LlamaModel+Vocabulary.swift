import CLlama

// MARK: - Tokenization

extension LlamaModel {
    /// Turns text into token ids with `llama_tokenize`.
    /// - Parameters:
    ///   - text: The text.
    ///   - addSpecial: Whether to add the BOS/EOS tokens the model's metadata asks for.
    ///   - parseSpecial: Whether special-token text (e.g. `<|im_start|>` from a chat template) becomes those tokens.
    /// - Returns: The tokens, or `nil` when libllama reports an overflow.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool = false) -> [Int32]? {
        var utf8 = Array(text.utf8)
        let length = Int32(clamping: utf8.count)
        var capacity = utf8.count + (addSpecial ? 2 : 0) + 1
        return utf8.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars -> [Int32]? in
                for _ in 0..<2 {
                    var tokens = [Int32](repeating: 0, count: capacity)
                    let count = withUnsafeVocab { vocab in
                        llama_tokenize(vocab, chars.baseAddress, length, &tokens, Int32(clamping: capacity), addSpecial, parseSpecial)
                    }
                    if count >= 0 { return Array(tokens.prefix(Int(count))) }
                    if count == Int32.min { return nil }
                    capacity = Int(-count)
                }
                return nil
            }
        }
    }

    /// Turns token ids back into UTF-8 bytes with `llama_detokenize`, dropping BOS/EOS and rendering no other
    /// special tokens. A leading BOS is removed here first: `llama_detokenize` keeps the tokenizer's leading space
    /// when it removes BOS itself, which would break `detokenize(tokenize(text)) == text`.
    /// - Parameter tokens: Token ids, each in `0..<vocabularySize`.
    /// - Returns: The bytes (possibly not valid UTF-8 when the tokens split a character).
    func detokenize(_ tokens: [Int32]) -> [UInt8] {
        var tokens = tokens[...]
        let bos = withUnsafeVocab { llama_vocab_get_add_bos($0) ? llama_vocab_bos($0) : LLAMA_TOKEN_NULL }
        if bos != LLAMA_TOKEN_NULL, tokens.first == bos { tokens = tokens.dropFirst() }
        var capacity = max(16, tokens.count * 8)
        for _ in 0..<2 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let count = withUnsafeVocab { vocab in
                Array(tokens).withUnsafeBufferPointer { ids in
                    llama_detokenize(vocab, ids.baseAddress, Int32(clamping: ids.count), &buffer, Int32(clamping: capacity), true, false)
                }
            }
            if count >= 0 { return buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) } }
            capacity = Int(-count)
        }
        return []
    }

    /// The bytes one token stands for (`llama_token_to_piece`, special tokens not rendered). A byte-fallback token
    /// yields a single byte that may be part of a multi-byte UTF-8 character.
    /// - Parameter token: A token id in `0..<vocabularySize`.
    /// - Returns: The token's bytes.
    func piece(_ token: Int32) -> [UInt8] {
        var capacity = 32
        for _ in 0..<2 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let count = withUnsafeVocab { vocab in
                llama_token_to_piece(vocab, token, &buffer, Int32(capacity), 0, false)
            }
            if count >= 0 { return buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) } }
            capacity = Int(-count)
        }
        return []
    }
}
