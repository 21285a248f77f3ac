// The ONNX Runtime engine (in progress).
