/// The architecture-independent hyperparameter limits that libllama enforces with `GGML_ASSERT` (an abort of the
/// whole process) rather than an error, in `llama_model::load_hparams` of libllama 0.5.0. Checking them first turns
/// a corrupt value into a ``GGUFValidationError``.
struct GGUFHyperparameterCheck {
    /// `LLAMA_MAX_LAYERS`.
    static let maxLayers: Int64 = 512
    /// `LLAMA_MAX_EXPERTS`.
    static let maxExperts: Int64 = 1024
    /// The names `llama_rope_scaling_type_from_string` accepts.
    static let ropeScalingTypes: Set<String> = ["none", "linear", "yarn", "longrope"]

    let path: String
    let architecture: String
    let integers: [String: Int64]
    let strings: [String: String]

    /// Checks the limits.
    /// - Throws: ``GGUFValidationError/malformed(path:field:reason:)`` naming the first value out of range.
    func check() throws {
        let layers = integers[key("block_count")]
        if let layers { try require(layers >= 1 && layers <= Self.maxLayers, "block_count", layers, "1...512") }
        if let nextn = integers[key("nextn_predict_layers")] {
            try require(nextn <= (layers ?? 0), "nextn_predict_layers", nextn, "at most block_count")
        }
        let experts = integers[key("expert_count")] ?? 0
        let used = integers[key("expert_used_count")] ?? 0
        let groups = integers[key("expert_group_count")] ?? 0
        let groupsUsed = integers[key("expert_group_used_count")] ?? 0
        try require(experts >= 0 && experts <= Self.maxExperts, "expert_count", experts, "0...1024")
        try require(used >= 0 && used <= experts, "expert_used_count", used, "at most expert_count (\(experts))")
        if experts > 0 {
            try require(used > 0, "expert_used_count", used, "at least 1 when there are experts")
            try require(groups >= 0 && groups < experts, "expert_group_count", groups, "less than expert_count")
            if groups > 1 {
                try require(experts % groups == 0, "expert_group_count", groups, "a divisor of expert_count")
                try require(groupsUsed > 0 && groupsUsed < groups, "expert_group_used_count", groupsUsed, "1..<expert_group_count")
            }
        } else {
            try require(groups == 0, "expert_group_count", groups, "0 when there are no experts")
        }
        if let scaling = strings[key("rope.scaling.type")] {
            guard Self.ropeScalingTypes.contains(scaling) else {
                throw GGUFValidationError.malformed(
                    path: path, field: key("rope.scaling.type"),
                    reason: "\"\(scaling)\" is not one of \(Self.ropeScalingTypes.sorted().joined(separator: ", "))")
            }
        }
    }

    private func key(_ suffix: String) -> String { "\(architecture).\(suffix)" }

    private func require(_ condition: Bool, _ suffix: String, _ value: Int64, _ expected: String) throws {
        guard condition else {
            throw GGUFValidationError.malformed(path: path, field: key(suffix), reason: "\(value) is out of range (expected \(expected))")
        }
    }
}
