#!/usr/bin/env python3
"""Writes the small ONNX models the engine tests use, and their reference outputs from onnxruntime's Python API.

For every tensor element type a Swift program can hold (bool, the eight integer types, float16, bfloat16, float,
double, string) it writes `types/<type>.onnx`: input X of that type and shape [-1, 3], outputs Y = Identity(X) and
D = Cast(X, to=double). It runs each through onnxruntime (the same libonnxruntime 1.23.2 the Swift engine loads)
on a fixed input and records input, Y and D in `reference.json` (float16 and bfloat16 as raw bit patterns, bool as
true/false, strings as strings).

It also writes models for other tests:
  - string_normalizer.onnx: StringNormalizer (lower case in the C.UTF-8 locale, stop word "the");
  - label_encoder.onnx: ai.onnx.ml LabelEncoder from strings to int64 (default -1);
  - add_bfloat16.onnx: Add on bfloat16, which ORT's CPU provider has no kernel for (NOT_IMPLEMENTED);
  - opset_too_new.onnx: an Identity stamped with opset 40 (ORT supports ai.onnx up to 23);
  - missing_external_data.onnx: an Add whose weight lives in `missing.weights`, which is deliberately absent;
  - unused_initializer.onnx: an Identity with an initializer no node uses (ORT logs a warning);
  - zipmap_int64.onnx, zipmap_strings.onnx: Softmax then ai.onnx.ml ZipMap, as scikit-learn classifiers end, with
    labels out of order and (int64) one label twice, plus a second output ArgMax; their maps from Python go in
    `reference.json` under "zipmaps" (keys as ORT orders them).

Usage (from the package root): .native/venv/bin/python Scripts/make_onnx_test_models.py
"""
import ctypes
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "OnnxRuntimeEngineTests", "Fixtures", "models")
IR_VERSION = 9  # readable by onnxruntime 1.15 and later

# name -> (ONNX type, NumPy dtype, input values for a [2, 3] tensor)
TYPES = {
    "bool": (TensorProto.BOOL, np.bool_, [True, False, True, True, False, False]),
    "uint8": (TensorProto.UINT8, np.uint8, [0, 1, 127, 128, 200, 255]),
    "int8": (TensorProto.INT8, np.int8, [-128, -1, 0, 1, 42, 127]),
    "uint16": (TensorProto.UINT16, np.uint16, [0, 1, 300, 32768, 50000, 65535]),
    "int16": (TensorProto.INT16, np.int16, [-32768, -300, -1, 0, 1234, 32767]),
    "uint32": (TensorProto.UINT32, np.uint32, [0, 1, 70000, 2**31, 3000000000, 2**32 - 1]),
    "int32": (TensorProto.INT32, np.int32, [-2**31, -70000, -1, 0, 123456, 2**31 - 1]),
    "uint64": (TensorProto.UINT64, np.uint64, [0, 1, 2**32, 2**53, 2**63, 2**64 - 1]),
    "int64": (TensorProto.INT64, np.int64, [-2**63, -2**40, -1, 0, 2**53 + 1, 2**63 - 1]),
    "float16": (TensorProto.FLOAT16, np.float16, [-65504.0, -1.5, 0.0, 0.333, 1.0, 6.1e-5]),
    "bfloat16": (TensorProto.BFLOAT16, None, [-3.0e38, -1.5, 0.0, 0.333, 1.0, 1.0e-30]),
    "float": (TensorProto.FLOAT, np.float32, [-3.4e38, -1.5, 0.0, 0.1, 1.0, 1.0e-40]),
    "double": (TensorProto.DOUBLE, np.float64, [-1.7e308, -1.5, 0.0, 0.1, 1.0, 5e-324]),
    "string": (TensorProto.STRING, np.object_, ["1.5", "-2", "0", "1e3", "  7", "3.25"]),
}


def bfloat16_bits(values):
    """Round-to-nearest-even bfloat16 bit patterns of float32 values."""
    bits = np.array(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def save(model, name):
    model.ir_version = IR_VERSION
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save(model, path)
    return path


def encode(array, type_name):
    flat = array.reshape(-1)
    if type_name in ("float16", "bfloat16"):
        return [int(v) for v in flat.view(np.uint16)]
    if type_name == "bool":
        return [bool(v) for v in flat]
    if type_name == "string":
        return [v.decode() if isinstance(v, bytes) else str(v) for v in flat]
    if type_name in ("float", "double"):
        return [float(v) for v in flat]
    return [int(v) for v in flat]


def type_model(type_name, onnx_type):
    x = helper.make_tensor_value_info("X", onnx_type, ["batch", 3])
    y = helper.make_tensor_value_info("Y", onnx_type, ["batch", 3])
    d = helper.make_tensor_value_info("D", TensorProto.DOUBLE, ["batch", 3])
    graph = helper.make_graph(
        [helper.make_node("Identity", ["X"], ["Y"]), helper.make_node("Cast", ["X"], ["D"], to=TensorProto.DOUBLE)],
        f"identity_cast_{type_name}", [x], [y, d])
    return helper.make_model(graph, producer_name="modelregistry-tests", opset_imports=[helper.make_opsetid("", 21)])


def write_type_models():
    cases = {}
    for type_name, (onnx_type, dtype, values) in TYPES.items():
        path = save(type_model(type_name, onnx_type), f"types/{type_name}.onnx")
        if type_name == "bfloat16":
            # NumPy has no bfloat16; onnxruntime's Python API takes it through an OrtValue of raw uint16 bits.
            bits = bfloat16_bits(values).reshape(2, 3)
            x = ort.OrtValue.ortvalue_from_numpy_with_onnx_type(bits, onnx_type)
            session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            outputs = session.run_with_ort_values(["Y", "D"], {"X": x})
            # NumPy cannot hold ORT's bfloat16 output either: read its six uint16 words where ORT left them.
            y_bits = np.ctypeslib.as_array((ctypes.c_uint16 * 6).from_address(outputs[0].data_ptr())).copy()
            d = outputs[1].numpy()
            cases[type_name] = {"shape": [2, 3], "input": [int(v) for v in bits.reshape(-1)], "input_floats": values,
                                "identity": [int(v) for v in y_bits.reshape(-1)], "as_double": encode(d, "double")}
            continue
        x = np.array(values, dtype=dtype).reshape(2, 3)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y, d = session.run(["Y", "D"], {"X": x})
        cases[type_name] = {"shape": [2, 3], "input": encode(x, type_name), "identity": encode(y, type_name),
                            "as_double": encode(d, "double")}
    return cases


def write_string_models():
    x = helper.make_tensor_value_info("X", TensorProto.STRING, ["n"])
    y = helper.make_tensor_value_info("Y", TensorProto.STRING, ["m"])
    normalizer = helper.make_node("StringNormalizer", ["X"], ["Y"], case_change_action="LOWER", stopwords=["the"],
                                      locale="C.UTF-8")
    path = save(helper.make_model(helper.make_graph([normalizer], "string_normalizer", [x], [y]),
                                  opset_imports=[helper.make_opsetid("", 21)]), "string_normalizer.onnx")
    words = np.array(["The", "Quick", "BROWN", "the", "Fox", "Ünïcode", ""], dtype=np.object_)
    (normalized,) = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"X": words})

    x = helper.make_tensor_value_info("X", TensorProto.STRING, ["n"])
    y = helper.make_tensor_value_info("Y", TensorProto.INT64, ["n"])
    encoder = helper.make_node("LabelEncoder", ["X"], ["Y"], domain="ai.onnx.ml",
                               keys_strings=["setosa", "versicolor", "virginica"], values_int64s=[0, 1, 2],
                               default_int64=-1)
    path = save(helper.make_model(helper.make_graph([encoder], "label_encoder", [x], [y]),
                                  opset_imports=[helper.make_opsetid("", 21), helper.make_opsetid("ai.onnx.ml", 2)]),
                "label_encoder.onnx")
    labels = np.array(["virginica", "setosa", "rose", "versicolor"], dtype=np.object_)
    (encoded,) = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"X": labels})
    return {
        "string_normalizer": {"input": list(words), "output": [str(v) for v in normalized.reshape(-1)],
                              "output_shape": list(normalized.shape)},
        "label_encoder": {"input": list(labels), "output": [int(v) for v in encoded]},
    }


ZIPMAP_LABELS = {
    "zipmap_int64": {"classlabels_int64s": [7, -2, 3, 7]},
    "zipmap_strings": {"classlabels_strings": ["versicolor", "Setosa", "\u00e9meraude", "aster"]},
}


def write_zipmap_models():
    x = np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 3.0, -2.0, 1.0], [0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    cases = {}
    for name, labels in ZIPMAP_LABELS.items():
        key_type = TensorProto.INT64 if "classlabels_int64s" in labels else TensorProto.STRING
        maps = helper.make_sequence_type_proto(
            helper.make_map_type_proto(key_type, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))
        graph = helper.make_graph(
            [helper.make_node("Softmax", ["X"], ["S"], axis=1),
             helper.make_node("ZipMap", ["S"], ["P"], domain="ai.onnx.ml", **labels),
             helper.make_node("ArgMax", ["X"], ["L"], axis=1, keepdims=0)],
            name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["n", 4])],
            [helper.make_tensor_value_info("L", TensorProto.INT64, ["n"]), helper.make_value_info("P", maps)])
        path = save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                            helper.make_opsetid("ai.onnx.ml", 1)]), f"{name}.onnx")
        label, zipped = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(["L", "P"], {"X": x})
        cases[name] = {"shape": list(x.shape), "input": [float(v) for v in x.reshape(-1)],
                       "label": [int(v) for v in label],
                       "maps": [[[k if isinstance(k, str) else int(k), float(v)] for k, v in m.items()]
                                for m in zipped]}
    return cases


def write_failure_models():
    x = helper.make_tensor_value_info("X", TensorProto.BFLOAT16, [2])
    y = helper.make_tensor_value_info("Y", TensorProto.BFLOAT16, [2])
    save(helper.make_model(helper.make_graph([helper.make_node("Add", ["X", "X"], ["Y"])], "add_bf16", [x], [y]),
                           opset_imports=[helper.make_opsetid("", 17)]), "add_bfloat16.onnx")

    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [2])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2])
    save(helper.make_model(helper.make_graph([helper.make_node("Identity", ["X"], ["Y"])], "future", [x], [y]),
                           opset_imports=[helper.make_opsetid("", 40)]), "opset_too_new.onnx")

    weight = numpy_helper.from_array(np.ones(2, dtype=np.float32), "W")
    graph = helper.make_graph([helper.make_node("Add", ["X", "W"], ["Y"])], "external", [x], [y], initializer=[weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = IR_VERSION
    path = os.path.join(OUT, "missing_external_data.onnx")
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="missing.weights", size_threshold=0)
    os.remove(os.path.join(OUT, "missing.weights"))

    unused = numpy_helper.from_array(np.ones(3, dtype=np.float32), "Unused")
    graph = helper.make_graph([helper.make_node("Identity", ["X"], ["Y"])], "unused", [x], [y], initializer=[unused])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), "unused_initializer.onnx")


def main():
    document = {"generator": "Scripts/make_onnx_test_models.py", "onnxruntime_version": ort.__version__,
                "types": write_type_models(), "strings": write_string_models(),
                "zipmaps": write_zipmap_models()}
    write_failure_models()
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
