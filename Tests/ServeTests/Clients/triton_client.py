#!/usr/bin/env python3
"""Drives `serve` with `tritonclient[http]` and compares its outputs with onnxruntime's Python API on the same files.

Usage: triton_client.py HOST:PORT IRIS_NAME IRIS_FILE MLP_NAME MLP_FILE
Prints what it saw as one JSON object; exits non-zero when a call fails or an output differs.
"""

import json
import sys

import numpy as np
import onnxruntime
import tritonclient.http as triton
from tritonclient.utils import InferenceServerException


def infer(client, name, arrays, outputs):
    inputs = []
    for input_name, array in arrays.items():
        datatype = {np.float32: "FP32", np.float64: "FP64", np.int64: "INT64"}[array.dtype.type]
        tensor = triton.InferInput(input_name, list(array.shape), datatype)
        tensor.set_data_from_numpy(array, binary_data=False)
        inputs.append(tensor)
    requested = [triton.InferRequestedOutput(output, binary_data=False) for output in outputs]
    return client.infer(name, inputs, outputs=requested)


def main() -> None:
    url, iris_name, iris_file, mlp_name, mlp_file = sys.argv[1:6]
    client = triton.InferenceServerClient(url=url, connection_timeout=60, network_timeout=300)
    seen = {"live": client.is_server_live(), "server_ready": client.is_server_ready()}
    seen["server"] = client.get_server_metadata()["name"]
    seen["iris_ready_before"] = client.is_model_ready(iris_name)

    metadata = client.get_model_metadata(iris_name)  # loads the model
    seen["iris_metadata"] = {
        "inputs": [(t["name"], t["datatype"], t["shape"]) for t in metadata["inputs"]],
        "outputs": [(t["name"], t["datatype"], t["shape"]) for t in metadata["outputs"]],
    }
    seen["iris_ready_after"] = client.is_model_ready(iris_name)

    rows = np.array([[5.1, 3.5], [6.7, 3.0], [4.9, 3.1]], dtype=np.float32)
    result = infer(client, iris_name, {"float_input": rows}, ["label", "probabilities"])
    session = onnxruntime.InferenceSession(iris_file, providers=["CPUExecutionProvider"])
    labels, probabilities = session.run(None, {"float_input": rows})
    expected = np.array([[row[key] for key in sorted(row)] for row in probabilities], dtype=np.float32)
    assert np.array_equal(result.as_numpy("label"), labels), (result.as_numpy("label"), labels)
    assert np.allclose(result.as_numpy("probabilities"), expected, rtol=1e-5, atol=1e-6)
    seen["iris"] = {"labels": result.as_numpy("label").tolist(), "matches_onnxruntime": True}

    mlp_metadata = client.get_model_metadata(mlp_name)
    (input_meta,) = mlp_metadata["inputs"]
    shape = [dim if dim > 0 else 2 for dim in input_meta["shape"]]
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    result = infer(client, mlp_name, {input_meta["name"]: x}, [mlp_metadata["outputs"][0]["name"]])
    reference = onnxruntime.InferenceSession(mlp_file, providers=["CPUExecutionProvider"]).run(None, {input_meta["name"]: x})
    got = result.as_numpy(mlp_metadata["outputs"][0]["name"])
    assert got.shape == reference[0].shape, (got.shape, reference[0].shape)
    assert np.allclose(got, reference[0], rtol=1e-5, atol=1e-5), np.abs(got - reference[0]).max()
    seen["mlp"] = {"shape": list(got.shape), "matches_onnxruntime": True}

    try:
        client.get_model_metadata("no-such-model")
        seen["unknown_model"] = None
    except InferenceServerException as error:
        seen["unknown_model"] = {"status": error.status(), "message": error.message()}

    try:
        infer(client, iris_name, {"float_input": np.zeros((3, 5), dtype=np.float32)}, ["label"])
        seen["bad_shape"] = None
    except InferenceServerException as error:
        seen["bad_shape"] = {"status": error.status(), "message": error.message()}

    client.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
