#!/usr/bin/env python3
"""Writes reference outputs for the ONNX Runtime engine tests.

Runs the three ONNX models that the onnxruntime wheel ships (logreg_iris, mul_1, sigmoid) through onnxruntime's
Python API (the same libonnxruntime 1.23.2 the Swift engine loads) and records, as JSON:

  - the library version and available execution providers;
  - each model's metadata (producer, graph name, domain, description, version), its input and output names, type
    strings and shapes (free dimensions as -1), as InferenceSession reports them;
  - mul_1's initializer W, read with the `onnx` package (independently of ONNX Runtime);
  - for a few input batches, every output: tensors as {shape, data}; ZipMap's sequence of maps as
    [{keys, values}, ...].

Usage (from the package root, after Scripts/install-native-deps.sh):

    .native/venv/bin/python Scripts/onnx_reference.py            # writes Tests/OnnxRuntimeEngineTests/Fixtures/onnx_reference.json
    .native/venv/bin/python Scripts/onnx_reference.py --models DIR --output FILE
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PREFIX = os.environ.get("MODELREGISTRY_NATIVE_PREFIX") or os.path.join(ROOT, ".native")

# Input batches. The iris model takes 3 rows of 2 features; the first batch is real iris measurements (sepal
# length and width), the others are chosen so that every class (0, 1, 2) wins at least once.
IRIS_BATCHES = [
    [[5.1, 3.5], [6.4, 3.2], [6.3, 3.3]],
    [[-6.0, -1.0], [6.5, -6.0], [3.0, 7.5]],
    [[-3.0, 1.0], [1.0, -2.0], [2.0, 2.0]],
]
MUL_BATCHES = [
    [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    [[-1.5, 0.0], [2.25, -3.0], [1000.0, 0.001]],
]
SIGMOID_BATCHES = [
    np.linspace(-6.0, 6.0, 60).reshape(3, 4, 5).tolist(),
]


def dims(shape):
    """Declared shape with free (symbolic or unknown) dimensions as -1."""
    return [d if isinstance(d, int) else -1 for d in (shape or [])]


def describe(node_args):
    return [{"name": a.name, "type": a.type, "shape": dims(a.shape)} for a in node_args]


def encode(value):
    """An output value as JSON: tensors as {shape, data}, maps as {keys, values}, sequences as lists."""
    if isinstance(value, np.ndarray):
        return {"shape": list(value.shape), "data": value.reshape(-1).tolist()}
    if isinstance(value, dict):
        keys = sorted(value)
        return {"keys": [int(k) for k in keys], "values": [float(value[k]) for k in keys]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    raise TypeError(f"cannot encode {type(value)}")


def reference(path, batches):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta()
    (model_input,) = session.get_inputs()
    output_names = [o.name for o in session.get_outputs()]
    cases = []
    for batch in batches:
        x = np.array(batch, dtype=np.float32)
        outputs = session.run(output_names, {model_input.name: x})
        cases.append({
            "inputs": {model_input.name: {"shape": list(x.shape), "data": x.reshape(-1).tolist()}},
            "outputs": {name: encode(value) for name, value in zip(output_names, outputs)},
        })
    return {
        "metadata": {
            "producer_name": meta.producer_name, "graph_name": meta.graph_name, "domain": meta.domain,
            "description": meta.description, "version": meta.version,
        },
        "inputs": describe(session.get_inputs()),
        "outputs": describe(session.get_outputs()),
        "cases": cases,
    }


def initializers(path):
    model = onnx.load(path)
    return {t.name: encode(numpy_helper.to_array(t)) for t in model.graph.initializer}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=os.path.join(DEFAULT_PREFIX, "share", "models"))
    parser.add_argument("--output", default=os.path.join(
        ROOT, "Tests", "OnnxRuntimeEngineTests", "Fixtures", "onnx_reference.json"))
    args = parser.parse_args()

    models = {}
    for file_name, batches in [("logreg_iris.onnx", IRIS_BATCHES), ("mul_1.onnx", MUL_BATCHES),
                               ("sigmoid.onnx", SIGMOID_BATCHES)]:
        path = os.path.join(args.models, file_name)
        if not os.path.exists(path):
            sys.exit(f"missing {path}: run Scripts/install-native-deps.sh first")
        models[file_name] = reference(path, batches)
    models["mul_1.onnx"]["initializers"] = initializers(os.path.join(args.models, "mul_1.onnx"))

    document = {
        "generator": "Scripts/onnx_reference.py",
        "onnxruntime_version": ort.__version__,
        "available_providers": ort.get_available_providers(),
        "models": models,
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
