#!/usr/bin/env python3
"""Writes the regression fixtures of issue 11: small GGUF files that libllama 0.5.0 accepts but on which ggml stops
the whole process with GGML_ASSERT while it builds or runs the first graph (`crash-*`), and one valid file of the
same kind (`small-llama`) that the fuzz test mutates.

Each file is a 1-layer llama-layout model (16 wide, a byte-level vocabulary of 262 tokens, F32 weights from a fixed
seed) whose tensors have exactly the shapes libllama's loader expects for its hyperparameters, so the loader's own
`check_tensor_dims` passes and only the graph trips. The Swift validator must refuse every llama-family one; the
`deci` one passes the validator (its layout is not checked) and shows that the preflight child isolates the abort.

Usage: make_crash_fixtures.py OUTPUT_DIR
"""

import os
import shutil
import sys

import gguf
import numpy as np

# the feed-forward block and the file's end are written as Scripts/make_tiny_gguf.py writes them
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Scripts"))
from make_tiny_gguf import add_feed_forward, finish  # noqa: E402

CASES = {
    "small-llama": ("llama", {}),  # valid: the fuzz test's small base file
    # name: (architecture, hyperparameters); hk/hv are attention.key_length/value_length when given
    "crash-llama-key-value-length-differ": ("llama", {"hk": 8, "hv": 4}),
    "crash-llama-kv-heads-not-dividing-heads": ("llama", {"head": 4, "kv": 3}),
    "crash-llama-zero-feed-forward": ("llama", {"ff": 0}),
    "crash-llama-heads-not-dividing-width": ("llama", {"embd": 16, "head": 3, "kv": 3}),
    "crash-deci-key-value-length-differ": ("deci", {"hk": 8, "hv": 4}),
}


def write(path: str, arch: str, p: dict) -> None:
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + ["\u2581", "a", "b"]
    types = [int(gguf.TokenType.UNKNOWN)] + [int(gguf.TokenType.CONTROL)] * 2 + [int(gguf.TokenType.BYTE)] * 256
    types += [int(gguf.TokenType.NORMAL)] * 3
    n_embd, n_head, n_ff = p.get("embd", 16), p.get("head", 2), p.get("ff", 32)
    n_kv = p.get("kv", n_head)
    hk = p.get("hk", n_embd // n_head)
    hv = p.get("hv", hk)
    w = gguf.GGUFWriter(path, arch)
    w.add_context_length(256)
    w.add_embedding_length(n_embd)
    w.add_block_count(1)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_kv)
    w.add_rope_dimension_count(hk)
    w.add_layer_norm_rms_eps(1e-5)
    if "hk" in p:
        w.add_key_length(hk)
    if "hv" in p:
        w.add_value_length(hv)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * len(tokens))
    w.add_token_types(types)
    rng = np.random.default_rng(11)

    def weight(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * 0.2).astype(np.float32)

    w.add_tensor("token_embd.weight", weight(len(tokens), n_embd))
    w.add_tensor("blk.0.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
    w.add_tensor("blk.0.attn_q.weight", weight(hk * n_head, n_embd))
    w.add_tensor("blk.0.attn_k.weight", weight(hk * n_kv, n_embd))
    w.add_tensor("blk.0.attn_v.weight", weight(hv * n_kv, n_embd))
    w.add_tensor("blk.0.attn_output.weight", weight(n_embd, hk * n_head))
    add_feed_forward(w, weight, 0, n_embd, n_ff)
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    finish(w)


def write_integer_typed(out: str) -> None:
    """Found by the fuzz test: a weight stored as ggml type i32 (26), or a norm as bf16 (30), loads, then ggml aborts
    or segfaults on it."""
    cases = [
        ("blk.0.ffn_gate.weight", "crash-llama-i32-matrix", 26),
        ("blk.0.attn_norm.weight", "crash-llama-i32-norm", 26),
        ("output_norm.weight", "crash-llama-bf16-norm", 30),
    ]
    for tensor, name, type_id in cases:
        path = os.path.join(out, name + ".gguf")
        shutil.copy(os.path.join(out, "small-llama.gguf"), path)
        reader = gguf.GGUFReader(path, "r+")
        field = next(t for t in reader.tensors if t.name == tensor).field
        field.parts[4][0] = type_id
        del reader


def main() -> int:
    out = sys.argv[1]
    for name, (arch, p) in CASES.items():
        write(os.path.join(out, name + ".gguf"), arch, p)
    write_integer_typed(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
