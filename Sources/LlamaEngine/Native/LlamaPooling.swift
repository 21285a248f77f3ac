import CLlama

/// How an embedding context pools token vectors into one per sequence; set with the `pooling` parameter
/// (`mean`, `cls`, `last`, `none`). Without it, the model's own `<arch>.pooling_type` metadata decides.
enum LlamaPooling: String, Sendable, CaseIterable {
    case none, mean, cls, last

    /// The `llama_pooling_type` value.
    var native: llama_pooling_type {
        switch self {
        case .none: LLAMA_POOLING_TYPE_NONE
        case .mean: LLAMA_POOLING_TYPE_MEAN
        case .cls: LLAMA_POOLING_TYPE_CLS
        case .last: LLAMA_POOLING_TYPE_LAST
        }
    }

    /// The pooling of a `llama_pooling_type`. Kinds this engine does not offer (rank, unspecified) map to `none`,
    /// which reads the last token's vector.
    init(native: llama_pooling_type) {
        switch native {
        case LLAMA_POOLING_TYPE_MEAN: self = .mean
        case LLAMA_POOLING_TYPE_CLS: self = .cls
        case LLAMA_POOLING_TYPE_LAST: self = .last
        default: self = .none
        }
    }
}
