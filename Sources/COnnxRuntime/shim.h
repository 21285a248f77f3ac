// Placeholder: the ORT C API subset is declared in onnxruntime_subset.h.
