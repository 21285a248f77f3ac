#!/usr/bin/env python3
"""Sends every KServe datatype through `serve` with tritonclient, as JSON and as binary data (the binary-data
extension, tritonclient's default), and compares the replies with onnxruntime's Python API on the same files.

Usage: triton_types.py HOST:PORT TYPE=NAME=FILE... [encoder=NAME=FILE]
Each TYPE model is one of the engine tests' `types/<type>.onnx` (Y = Identity(X), D = Cast(X, to=double));
`encoder` is their `label_encoder.onnx` (strings in, int64 out). bfloat16 goes only as binary data (tritonclient
sends it no other way), with ml_dtypes' bfloat16 arrays; onnxruntime's Python API takes no such array, so its
identity is checked against the input and its cast against ml_dtypes' widening.
Prints what it saw as one JSON object, keyed "<type>/json" and "<type>/binary"; exits non-zero when a call fails
or an output differs.
"""

import json
import sys

import ml_dtypes
import numpy as np
import onnxruntime
import tritonclient.http as triton

# The input each type is sent: its range's ends where NumPy holds them, and a fraction for the float types.
VALUES = {
    "bool": np.array([[True, False, True], [False, False, True]]),
    "uint8": np.array([[0, 1, 255], [7, 128, 254]], dtype=np.uint8),
    "int8": np.array([[-128, -1, 0], [1, 64, 127]], dtype=np.int8),
    "uint16": np.array([[0, 1, 65535], [7, 300, 40000]], dtype=np.uint16),
    "int16": np.array([[-32768, -1, 0], [1, 300, 32767]], dtype=np.int16),
    "uint32": np.array([[0, 1, 4294967295], [7, 65536, 3000000000]], dtype=np.uint32),
    "int32": np.array([[-2147483648, -1, 0], [1, 65536, 2147483647]], dtype=np.int32),
    "uint64": np.array([[0, 1, 2**64 - 1], [2**63, 2**53, 7]], dtype=np.uint64),
    "int64": np.array([[-(2**63), -1, 0], [1, 2**53 + 1, 2**63 - 1]], dtype=np.int64),
    "float16": np.array([[-65504, -1.5, 0], [0.333, 1, 6.1e-5]], dtype=np.float16),
    "bfloat16": np.array([[-3e38, -1.5, 0], [0.333, np.nan, 1e-30]], dtype=ml_dtypes.bfloat16),
    "float": np.array([[-3.4e38, -1.5, 0], [0.1, np.nan, np.inf]], dtype=np.float32),
    "double": np.array([[-1.7e308, -1.5, 0], [0.1, -np.inf, 5e-324]], dtype=np.float64),
    "string": np.array([["1.5", "-2", "0"], ["1e3", "  7", "3.25"]], dtype=np.object_),  # D casts them
}


def infer(client, name, input_name, array, datatype, outputs, binary):
    tensor = triton.InferInput(input_name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array, binary_data=binary)
    requested = [triton.InferRequestedOutput(output, binary_data=binary) for output in outputs]
    return client.infer(name, [tensor], outputs=requested)


def same(got, expected):
    if expected.dtype.kind == "f" or expected.dtype == ml_dtypes.bfloat16:
        return got.dtype == expected.dtype and np.array_equal(
            got.astype(np.float64), expected.astype(np.float64), equal_nan=True)
    if expected.dtype == np.object_:
        return [g.decode() if isinstance(g, bytes) else g for g in got.reshape(-1)] == [
            e.decode() if isinstance(e, bytes) else e for e in expected.reshape(-1)
        ]
    return got.dtype == expected.dtype and np.array_equal(got, expected)


def main() -> None:
    url = sys.argv[1]
    client = triton.InferenceServerClient(url=url, connection_timeout=60, network_timeout=300)
    seen = {}
    for argument in sys.argv[2:]:
        kind, name, path = argument.split("=", 2)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        metadata = client.get_model_metadata(name)
        (input_meta,) = metadata["inputs"]
        for binary in ([True] if kind == "bfloat16" else [False, True]):
            key = f"{kind}/{'binary' if binary else 'json'}"
            if kind == "encoder":
                array = np.array(["virginica", "setosa", "Ünïcode", "versicolor"], dtype=np.object_)
                output = metadata["outputs"][0]["name"]
                result = infer(client, name, input_meta["name"], array, input_meta["datatype"], [output], binary)
                (expected,) = session.run(None, {input_meta["name"]: array})
                got = result.as_numpy(output)
                assert same(got, expected), (key, got, expected)
                seen[key] = {"datatype": input_meta["datatype"], "output": got.tolist(), "matches_onnxruntime": True}
                continue
            array = VALUES[kind]
            result = infer(client, name, input_meta["name"], array, input_meta["datatype"], ["Y", "D"], binary)
            if kind == "bfloat16":
                identity, as_double = array, array.astype(np.float64)
            else:
                identity, as_double = session.run(["Y", "D"], {input_meta["name"]: array})
            got_identity, got_double = result.as_numpy("Y"), result.as_numpy("D")
            assert same(got_identity, identity), (key, got_identity, identity)
            assert same(got_double, as_double), (key, got_double, as_double)
            seen[key] = {"datatype": input_meta["datatype"], "matches_onnxruntime": True}
    client.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
