/// Derives every tensor's expected shape from the hyperparameters for the llama-family architectures and refuses
/// files whose metadata disagrees with the tensors or with itself.
///
/// libllama's loader compares tensor shapes with the hyperparameters too, but it computes them with the layer-0
/// values and does not check the relations its graph code asserts on: with key and value head widths that differ,
/// KV heads that do not divide the heads, an odd RoPE width or a zero feed-forward width, the file loads and ggml
/// then stops the process with `GGML_ASSERT` while building the first graph. The architectures here are the ones whose
/// `load_arch_tensors` in libllama 0.5.0 (`src/models/<arch>.cpp`) is the same as llama's.
struct GGUFShapeCheck {
    /// A tensor layout shared by several architectures.
    struct Layout: Sendable {
        /// Whether the graph uses RoPE over the whole head (`GGML_ASSERT(n_embd_head == n_rot)`, even width).
        let ropeCoversHead: Bool

        /// The layout of `architecture`, or `nil` when it is not one this check knows.
        init?(architecture: String) {
            switch architecture {
            case "llama", "granite", "granitemoe", "mistral3": ropeCoversHead = true
            case "minicpm", "refact": ropeCoversHead = false
            default: return nil
            }
        }
    }

    /// `i8`, `i16`, `i32`, `i64` and `f64`: ggml's CPU kernels have no matrix product or arithmetic with weights of
    /// these types, and libllama loads them anyway (found by the fuzz test: it aborts or segfaults in the first graph).
    static let integerTypes: Set<UInt32> = [24, 25, 26, 27, 28]
    /// `GGML_TYPE_F32`.
    static let f32: UInt32 = 0

    let path: String
    let layout: Layout
    let architecture: String
    let integers: [String: Int64]
    let integerArrays: [String: [Int64]]
    let vocabularySize: Int?
    let tensors: [GGUFTensorInfo]

    /// Checks the relations, then the type and shape of every tensor whose name the layout defines.
    /// - Throws: ``GGUFValidationError/inconsistentHyperparameters(path:field:reason:)`` for a relation libllama
    ///   assumes, or head widths whose projection widths overflow 64 bits;
    ///   ``GGUFValidationError/unsupportedTensorType(path:tensor:type:allowed:)`` for an integer weight or a 1-D weight
    ///   that is not f32; ``GGUFValidationError/tensorShapeMismatch(path:tensor:shape:expected:meaning:)`` for a wrong
    ///   shape.
    func check() throws {
        // libllama itself refuses files without these (a clear error), so there is nothing to add then.
        guard let width = try layerValue("embedding_length"), let heads = try layerValue("attention.head_count"),
            integers[key("block_count")] != nil
        else { return }
        let kvHeads = try layerValue("attention.head_count_kv") ?? heads
        let feedForward = try layerValue("feed_forward_length") ?? 0
        try require(width > 0, "embedding_length", "is \(width); it must be positive")
        if let output = integers[key("embedding_length_out")] {
            // libllama sizes and copies embeddings by it, while this graph's output is `embedding_length` wide: a
            // wider value makes ggml assert while reading the output, a narrower one returns wrong vectors
            try require(
                output == width, "embedding_length_out",
                "is \(output) but the \(architecture) graph's output is embedding_length \(width) wide")
        }
        try require(heads > 0, "attention.head_count", "is \(heads); it must be positive")
        try require(kvHeads > 0, "attention.head_count_kv", "is \(kvHeads); it must be positive")
        let missingFeedForward = integers[key("feed_forward_length")] == nil
        try require(
            feedForward > 0, "feed_forward_length",
            missingFeedForward ? "is missing (libllama then uses 0)" : "is \(feedForward); it must be positive")
        try require(
            heads % kvHeads == 0, "attention.head_count_kv",
            "\(kvHeads) KV heads do not divide the \(heads) attention heads (grouped-query attention needs a divisor)")
        let keyLength = integers[key("attention.key_length")]
        if keyLength == nil {
            try require(
                width % heads == 0, "attention.head_count",
                "\(heads) heads do not divide embedding_length \(width) and no attention.key_length is given")
        }
        let headK = keyLength ?? width / heads
        let headV = integers[key("attention.value_length")] ?? width / heads
        try require(headK > 0, "attention.key_length", "is \(headK); it must be positive")
        try require(
            headK == headV, "attention.value_length",
            "value heads are \(headV) wide but key heads \(headK); the \(architecture) graph needs them equal")
        let rope = integers[key("rope.dimension_count")] ?? headK
        if layout.ropeCoversHead {
            try require(rope == headK, "rope.dimension_count", "is \(rope) but the heads are \(headK) wide")
            try require(rope % 2 == 0, "rope.dimension_count", "is \(rope); RoPE needs an even width")
        }
        let experts = integers[key("expert_count")] ?? 0
        let vocabulary = vocabularySize.map(Int64.init)
            ?? tensors.first { $0.name == "token_embd.weight" }.flatMap { $0.shape.count > 1 ? Int64($0.shape[1]) : nil }
        // the widths are products and sums of file values: a crafted head width must not trap the host on overflow
        let q = try projectionWidth("attention.key_length", headK, times: heads, "head_count \(heads)")
        let k = try projectionWidth("attention.key_length", headK, times: kvHeads, "head_count_kv \(kvHeads)")
        let v = try projectionWidth("attention.value_length", headV, times: kvHeads, "head_count_kv \(kvHeads)")
        let (qk, qkOverflow) = q.addingReportingOverflow(k)
        let (qkv, qkvOverflow) = qk.addingReportingOverflow(v)
        try require(
            !qkOverflow && !qkvOverflow, "attention.key_length",
            "is \(headK): the q, k and v widths (\(q), \(k) and \(v)) add up to more than a 64-bit tensor width")
        let expected = Expected(
            width: width, q: q, k: k, v: v, qkv: qkv, feedForward: feedForward, rope: rope, experts: experts,
            vocabulary: vocabulary)
        for tensor in tensors {
            guard let (shape, meaning) = expected.shape(of: tensor.name) else { continue }
            guard !Self.integerTypes.contains(tensor.typeID) else {
                throw GGUFValidationError.unsupportedTensorType(
                    path: path, tensor: tensor.name, type: tensor.typeName, allowed: "a float or quantized type")
            }
            // norms and biases meet f32 activations in ggml_mul/ggml_add, whose CPU kernels take only f32 there
            guard shape.count > 1 || tensor.typeID == Self.f32 else {
                throw GGUFValidationError.unsupportedTensorType(
                    path: path, tensor: tensor.name, type: tensor.typeName, allowed: "f32 (it is a 1-D norm or bias)")
            }
            let padded = shape.map(Int.init) + Array(repeating: 1, count: max(0, 4 - shape.count))
            guard tensor.paddedShape == padded else {
                throw GGUFValidationError.tensorShapeMismatch(
                    path: path, tensor: tensor.name, shape: tensor.shape, expected: shape.map(Int.init), meaning: meaning)
            }
        }
    }

    /// A hyperparameter that may be per-layer: the layer-0 value (what libllama's loader uses), after checking that
    /// every layer has the same one (the llama layout has no per-layer shapes).
    private func layerValue(_ suffix: String) throws -> Int64? {
        if let values = integerArrays[key(suffix)], let first = values.first {
            if let other = values.firstIndex(where: { $0 != first }) {
                throw GGUFValidationError.inconsistentHyperparameters(
                    path: path, field: key(suffix),
                    reason: "layer \(other) has \(values[other]) but layer 0 has \(first); the \(architecture) layout "
                        + "uses one value for all layers")
            }
            return first
        }
        return integers[key(suffix)]
    }

    /// `headWidth × heads`, or an error naming `suffix` when the product does not fit a 64-bit tensor width.
    private func projectionWidth(
        _ suffix: String, _ headWidth: Int64, times heads: Int64, _ headsName: String
    ) throws -> Int64 {
        let (product, overflow) = headWidth.multipliedReportingOverflow(by: heads)
        try require(!overflow, suffix, "is \(headWidth): times \(headsName) it overflows a 64-bit tensor width")
        return product
    }

    private func key(_ suffix: String) -> String { "\(architecture).\(suffix)" }

    private func require(_ condition: Bool, _ suffix: String, _ reason: String) throws {
        guard condition else {
            throw GGUFValidationError.inconsistentHyperparameters(path: path, field: key(suffix), reason: reason)
        }
    }
}

/// The shapes of the llama layout (`llama_model_llama::load_arch_tensors`), in ggml order, with how each is derived.
private struct Expected {
    let width: Int64
    /// The query, key and value widths (`head_count × key_length`, `head_count_kv × key_length`,
    /// `head_count_kv × value_length`) and their sum, computed with overflow checks by ``GGUFShapeCheck/check()``.
    let q: Int64, k: Int64, v: Int64, qkv: Int64
    let feedForward: Int64, rope: Int64, experts: Int64
    let vocabulary: Int64?

    /// The expected shape of a tensor, and a description of it in hyperparameter names; `nil` for names this layout
    /// does not define (they are left to libllama).
    func shape(of name: String) -> (shape: [Int64], meaning: String)? {
        switch name {
        case "token_embd.weight", "output.weight":
            guard let vocabulary else { return nil }
            return ([width, vocabulary], "[embedding_length, vocabulary size]")
        case "output_norm.weight":
            return ([width], "[embedding_length]")
        default: break
        }
        guard name.hasPrefix("blk."), let dot = name.dropFirst(4).firstIndex(of: "."),
            Int(name[name.index(name.startIndex, offsetBy: 4)..<dot]) != nil
        else { return nil }
        switch name[name.index(after: dot)...] {
        case "attn_norm.weight", "ffn_norm.weight", "attn_output.bias":
            return ([width], "[embedding_length]")
        case "attn_q.weight": return ([width, q], "[embedding_length, head_count × key_length]")
        case "attn_k.weight": return ([width, k], "[embedding_length, head_count_kv × key_length]")
        case "attn_v.weight": return ([width, v], "[embedding_length, head_count_kv × value_length]")
        case "attn_qkv.weight": return ([width, qkv], "[embedding_length, q + k + v widths]")
        case "attn_q.bias": return ([q], "[head_count × key_length]")
        case "attn_k.bias": return ([k], "[head_count_kv × key_length]")
        case "attn_v.bias": return ([v], "[head_count_kv × value_length]")
        case "attn_output.weight": return ([q, width], "[head_count × key_length, embedding_length]")
        case "rope_freqs.weight": return ([rope / 2], "[rope.dimension_count / 2]")
        case "ffn_gate.weight" where experts == 0, "ffn_up.weight" where experts == 0:
            return ([width, feedForward], "[embedding_length, feed_forward_length]")
        case "ffn_down.weight" where experts == 0:
            return ([feedForward, width], "[feed_forward_length, embedding_length]")
        case "ffn_gate_inp.weight" where experts > 0:
            return ([width, experts], "[embedding_length, expert_count]")
        case "ffn_gate_exps.weight" where experts > 0, "ffn_up_exps.weight" where experts > 0:
            return ([width, feedForward, experts], "[embedding_length, feed_forward_length, expert_count]")
        case "ffn_down_exps.weight" where experts > 0:
            return ([feedForward, width, experts], "[feed_forward_length, embedding_length, expert_count]")
        default: return nil
        }
    }
}
