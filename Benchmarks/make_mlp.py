#!/usr/bin/env python3
"""Writes a multi-layer perceptron as an ONNX model, for ModelRegistry's benchmarks.

The graph is Gemm + Relu per hidden layer, then a final Gemm: input [batch, inputs] float32 named "input", output
[batch, outputs] named "output". Weights come from a fixed NumPy seed, so the same arguments give the same file.

Usage:
  make_mlp.py --out mlp.onnx       # batch 32, 256 inputs, 3 hidden layers of 512, 10 outputs
  make_mlp.py --out mlp.onnx --batch 1 --hidden 1024 --layers 4
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(batch: int, inputs: int, hidden: int, layers: int, outputs: int, seed: int) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    nodes, initializers = [], []
    width, current = inputs, "input"
    for index in range(layers + 1):
        last = index == layers
        out_width = outputs if last else hidden
        weight = (rng.standard_normal((width, out_width)) / np.sqrt(width)).astype(np.float32)
        bias = (rng.standard_normal(out_width) * 0.01).astype(np.float32)
        initializers += [numpy_helper.from_array(weight, f"W{index}"), numpy_helper.from_array(bias, f"B{index}")]
        gemm = "output" if last else f"gemm{index}"
        nodes.append(helper.make_node("Gemm", [current, f"W{index}", f"B{index}"], [gemm], name=f"Gemm{index}"))
        if not last:
            nodes.append(helper.make_node("Relu", [gemm], [f"relu{index}"], name=f"Relu{index}"))
            current = f"relu{index}"
        width = out_width
    graph = helper.make_graph(
        nodes, f"mlp_{inputs}x{hidden}x{layers}",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, inputs])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [batch, outputs])],
        initializer=initializers)
    model = helper.make_model(graph, producer_name="modelregistry-benchmarks",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # readable by every onnxruntime from 1.10 on
    onnx.checker.check_model(model)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the .onnx file to write")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--inputs", type=int, default=256)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--layers", type=int, default=3, help="hidden layers")
    parser.add_argument("--outputs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    model = build(args.batch, args.inputs, args.hidden, args.layers, args.outputs, args.seed)
    onnx.save(model, args.out)


if __name__ == "__main__":
    main()
