#!/usr/bin/env python3
"""Writes small llama-architecture GGUF models with random F32 weights, for ModelRegistry's tests and benchmarks.

The vocabulary is a SentencePiece-style ("llama") one: <unk>, <s>, </s>, the 256 byte tokens <0x00>..<0xFF>, single
characters, and a few words with all their prefixes (so the SPM merge loop can reach them). Every token is unique:
libllama aborts the whole process on a duplicated token, which `--duplicate-token` writes on purpose so tests can
check that the Swift side refuses such a file before libllama sees it.

Weights come from a fixed NumPy seed, so the same arguments always give byte-identical files.

Usage:
  make_tiny_gguf.py --out tiny-llama.gguf                 # 64-wide, 2 layers, 4 heads, context 2048
  make_tiny_gguf.py --out tiny-embed.gguf --embedding     # the same shape, mean pooling, another seed
  make_tiny_gguf.py --out bench.gguf --params-millions 100  # ~100M parameters, for benchmarks only
  make_tiny_gguf.py --out bad.gguf --duplicate-token      # a vocabulary with one token twice (malformed on purpose)
  make_tiny_gguf.py --out qwen.gguf --vocab-from ggml-vocab-qwen2.gguf  # random weights on a real tokenizer

With --vocab-from, every `tokenizer.*` key of the given GGUF (one of llama.cpp's weightless `ggml-vocab-*.gguf`
files: the vocabulary, merges, special tokens and `tokenizer.chat_template`) is copied into a tiny llama model
(32 wide, 1 layer, output tied to the token embeddings) whose tensors match that vocabulary's size.
"""

import argparse
import sys

import numpy as np
import gguf

WORDS = [
    "the", "a", "an", "of", "and", "to", "in", "is", "it", "that", "on", "for", "with", "as", "was", "at", "by",
    "hello", "world", "model", "registry", "token", "swift", "llama", "engine", "test", "text", "one", "two",
    "three", "red", "green", "blue", "cat", "dog", "sun", "moon", "star", "tree", "water",
]
CHARACTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ".,;:!?'\"-()[]{}<>/\\@#$%&*+=_~|"
)
SPACE = "\u2581"  # SentencePiece's word-boundary marker


def build_vocab(duplicate: bool) -> tuple[list[str], list[float], list[int]]:
    tokens: list[str] = ["<unk>", "<s>", "</s>"]
    scores: list[float] = [0.0, 0.0, 0.0]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL]
    for byte in range(256):
        tokens.append(f"<0x{byte:02X}>")
        scores.append(0.0)
        types.append(gguf.TokenType.BYTE)
    seen = set(tokens)

    def add(piece: str, score: float) -> None:
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
            scores.append(score)
            types.append(gguf.TokenType.NORMAL)

    add(SPACE, -1.0)
    for ch in CHARACTERS:
        add(ch, -2.0)
    for word in WORDS:
        piece = SPACE + word
        for end in range(2, len(piece) + 1):  # every prefix, so merges can build the whole word
            add(piece[:end], -10.0 + end)
    if duplicate:
        tokens.append(SPACE + "the")
        scores.append(0.0)
        types.append(gguf.TokenType.NORMAL)
    return tokens, scores, [int(t) for t in types]


def shape_for(params_millions: float | None) -> dict[str, int]:
    if params_millions is None:
        return {"n_embd": 64, "n_layer": 2, "n_head": 4, "n_head_kv": 4, "n_ff": 128, "n_ctx": 2048}
    n_embd = 768 if params_millions >= 30 else 256
    per_layer = 4 * n_embd * n_embd + 3 * n_embd * (4 * n_embd)  # attention + gated feed-forward
    n_layer = max(1, round(params_millions * 1e6 / per_layer))
    return {"n_embd": n_embd, "n_layer": n_layer, "n_head": n_embd // 64, "n_head_kv": n_embd // 64,
            "n_ff": 4 * n_embd, "n_ctx": 2048}


def add_feed_forward(w: gguf.GGUFWriter, weight, block: int, n_embd: int, n_ff: int) -> None:
    """The feed-forward of one llama block: its norm, then the gate, up and down matrices drawn from `weight`
    in that order (the order fixes the random weights). Also used by Tests/LlamaEngineTests/Fixtures/
    make_crash_fixtures.py."""
    w.add_tensor(f"blk.{block}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
    w.add_tensor(f"blk.{block}.ffn_gate.weight", weight(n_ff, n_embd))
    w.add_tensor(f"blk.{block}.ffn_up.weight", weight(n_ff, n_embd))
    w.add_tensor(f"blk.{block}.ffn_down.weight", weight(n_embd, n_ff))


def add_tokenizer(w: gguf.GGUFWriter, tokens: list[str], scores: list[float], types: list[int]) -> None:
    """The tokenizer keys of every tiny model: a llama (SentencePiece) vocabulary with BOS added, EOS not."""
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_add_space_prefix(True)


def finish(w: gguf.GGUFWriter) -> None:
    """Writes the header, the metadata and the tensors, and closes the file."""
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write(path: str, embedding: bool, duplicate: bool, params_millions: float | None) -> None:
    rng = np.random.default_rng(20240 + (1 if embedding else 0))
    tokens, scores, types = build_vocab(duplicate)
    dims = shape_for(params_millions)
    n_vocab, n_embd, n_ff = len(tokens), dims["n_embd"], dims["n_ff"]
    n_head, n_head_kv = dims["n_head"], dims["n_head_kv"]
    n_embd_kv = n_embd // n_head * n_head_kv

    w = gguf.GGUFWriter(path, "llama")
    w.add_name("tiny-embed" if embedding else "tiny-llama")
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_context_length(dims["n_ctx"])
    w.add_embedding_length(n_embd)
    w.add_block_count(dims["n_layer"])
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head_kv)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    if embedding:
        w.add_pooling_type(gguf.PoolingType.MEAN)

    add_tokenizer(w, tokens, scores, types)

    def weight(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(np.float32)

    w.add_tensor("token_embd.weight", weight(n_vocab, n_embd, scale=1.0))
    for i in range(dims["n_layer"]):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        w.add_tensor(f"blk.{i}.attn_q.weight", weight(n_embd, n_embd))
        w.add_tensor(f"blk.{i}.attn_k.weight", weight(n_embd_kv, n_embd))
        w.add_tensor(f"blk.{i}.attn_v.weight", weight(n_embd_kv, n_embd))
        w.add_tensor(f"blk.{i}.attn_output.weight", weight(n_embd, n_embd))
        add_feed_forward(w, weight, i, n_embd, n_ff)
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    output = weight(n_vocab, n_embd)
    output[2, :] = 0.0  # </s> gets logit 0: greedy decoding never picks it, so fixed-length tests stay fixed-length
    w.add_tensor("output.weight", output)
    finish(w)


def write_grafted(path: str, vocab_path: str) -> None:
    reader = gguf.GGUFReader(vocab_path)
    fields = {key: field for key, field in reader.fields.items() if key.startswith("tokenizer.")}
    n_vocab = len(fields["tokenizer.ggml.tokens"].data)
    n_embd, n_head, n_ff = 32, 4, 64
    rng = np.random.default_rng(20250)

    w = gguf.GGUFWriter(path, "llama")
    w.add_name("tiny-grafted")
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_context_length(2048)
    w.add_embedding_length(n_embd)
    w.add_block_count(1)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    for key, field in fields.items():
        value_type = field.types[0]
        sub_type = field.types[1] if value_type == gguf.GGUFValueType.ARRAY else None
        w.add_key_value(key, field.contents(), value_type, sub_type)

    def weight(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(np.float32)

    w.add_tensor("token_embd.weight", weight(n_vocab, n_embd, scale=1.0))
    w.add_tensor("blk.0.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
    for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
        w.add_tensor(f"blk.0.{name}.weight", weight(n_embd, n_embd))
    add_feed_forward(w, weight, 0, n_embd, n_ff)
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    finish(w)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the GGUF file to write")
    parser.add_argument("--embedding", action="store_true", help="write the embedding fixture (mean pooling)")
    parser.add_argument("--params-millions", type=float, help="write a larger model of about this many parameters")
    parser.add_argument("--duplicate-token", action="store_true", help="repeat one vocabulary token (malformed)")
    parser.add_argument("--vocab-from", help="copy the tokenizer (and chat template) of this GGUF into a tiny model")
    args = parser.parse_args()
    if args.vocab_from:
        write_grafted(args.out, args.vocab_from)
        return 0
    write(args.out, args.embedding, args.duplicate_token, args.params_millions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
