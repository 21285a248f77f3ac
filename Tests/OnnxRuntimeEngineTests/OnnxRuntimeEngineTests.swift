// ONNX Runtime engine tests (in progress).
