import Foundation

/// The small GGUF files under `Fixtures/` (written by `Fixtures/make_crash_fixtures.py`): `crash-*` files once
/// made ggml abort the process; `small-llama` is a valid file of the same kind.
extension LlamaFixtures {
    static let fixturesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fixture by name, without the `.gguf` extension.
    static func regressionFixture(_ name: String) -> URL { fixturesFolder.appendingPathComponent("\(name).gguf") }

    /// The llama-layout files that crashed libllama before the shape checks, with the field the validator names.
    static let llamaCrashFixtures: [(name: String, field: String)] = [
        ("crash-llama-key-value-length-differ", "llama.attention.value_length"),
        ("crash-llama-kv-heads-not-dividing-heads", "llama.attention.head_count_kv"),
        ("crash-llama-zero-feed-forward", "llama.feed_forward_length"),
        ("crash-llama-heads-not-dividing-width", "llama.attention.head_count"),
    ]

    /// The llama-layout files found by the fuzz test: a weight of a type ggml cannot compute with there.
    static let integerWeightFixtures: [(name: String, tensor: String, type: String)] = [
        ("crash-llama-i32-matrix", "blk.0.ffn_gate.weight", "i32"),
        ("crash-llama-i32-norm", "blk.0.attn_norm.weight", "i32"),
        ("crash-llama-bf16-norm", "output_norm.weight", "bf16"),
    ]
}
