#!/usr/bin/env python3
"""Writes a tiny model of llama.cpp's "mamba" architecture (a recurrent state-space model) with random F32 weights,
for the tests of the prompt cache on recurrent memory: such memory cannot forget the end of a sequence, so
`llama_memory_seq_rm` refuses a partial removal.

The vocabulary and tokenizer keys are those of Scripts/make_tiny_gguf.py's tiny-llama. The model is 64 wide with
2 layers (inner size 128, as libllama requires an expansion factor of 2; state 16, convolution kernel 4, time-step
rank 4); its tensors have the shapes `llama_model_mamba::load_arch_tensors` creates. Weights come from a fixed NumPy
seed, so the file is the same on every run.

Usage: make_tiny_mamba.py OUTPUT.gguf
"""

import os
import sys

import gguf
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Scripts"))
from make_tiny_gguf import add_tokenizer, build_vocab, finish  # noqa: E402


def write(path: str) -> None:
    rng = np.random.default_rng(20260)
    tokens, scores, types = build_vocab(False)
    n_vocab, n_embd, n_layer = len(tokens), 64, 2
    d_inner, d_state, d_conv, dt_rank = 2 * n_embd, 16, 4, 4

    w = gguf.GGUFWriter(path, "mamba")
    w.add_name("tiny-mamba")
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_context_length(2048)
    w.add_embedding_length(n_embd)
    w.add_feed_forward_length(0)  # unused by mamba; written as convert_hf_to_gguf.py writes it
    w.add_head_count(0)
    w.add_block_count(n_layer)
    w.add_ssm_conv_kernel(d_conv)
    w.add_ssm_inner_size(d_inner)
    w.add_ssm_state_size(d_state)
    w.add_ssm_time_step_rank(dt_rank)
    w.add_ssm_dt_b_c_rms(False)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)

    add_tokenizer(w, tokens, scores, types)

    def weight(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(np.float32)

    # NumPy shapes are ggml's dimensions reversed
    w.add_tensor("token_embd.weight", weight(n_vocab, n_embd, scale=1.0))
    for i in range(n_layer):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ssm_in.weight", weight(2 * d_inner, n_embd))
        w.add_tensor(f"blk.{i}.ssm_conv1d.weight", weight(d_inner, d_conv))
        w.add_tensor(f"blk.{i}.ssm_conv1d.bias", weight(d_inner))
        w.add_tensor(f"blk.{i}.ssm_x.weight", weight(dt_rank + 2 * d_state, d_inner))
        w.add_tensor(f"blk.{i}.ssm_dt.weight", weight(d_inner, dt_rank))
        w.add_tensor(f"blk.{i}.ssm_dt.bias", weight(d_inner))
        # A = -exp(A_log) with A_log = log(1..d_state), as in Mamba's initialisation: a decaying state
        w.add_tensor(f"blk.{i}.ssm_a", -np.tile(np.arange(1, d_state + 1, dtype=np.float32), (d_inner, 1)))
        w.add_tensor(f"blk.{i}.ssm_d", np.ones(d_inner, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ssm_out.weight", weight(n_embd, d_inner))
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    output = weight(n_vocab, n_embd)
    output[2, :] = 0.0  # </s> gets logit 0, as in tiny-llama: greedy outputs run to maxTokens
    w.add_tensor("output.weight", output)
    finish(w)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write(sys.argv[1])
