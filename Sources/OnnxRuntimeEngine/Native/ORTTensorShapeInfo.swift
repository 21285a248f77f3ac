internal import COnnxRuntime

/// Owns one `OrtTensorTypeAndShapeInfo` that ORT created for a tensor value (`GetTensorTypeAndShape`).
final class ORTTensorShapeInfo {
    private let pointer: OpaquePointer
    private let api: ORTAPI

    /// Gets the element type and shape of a tensor value.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails, e.g. when the value is not a tensor.
    init(of value: ORTValue) throws(OnnxRuntimeStatus) {
        let api = value.api
        var info: OpaquePointer?
        try value.withPointer { value throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.GetTensorTypeAndShape(value, &info))
        }
        guard let info else { throw .nullResult("GetTensorTypeAndShape") }
        self.pointer = info
        self.api = api
    }

    deinit { api.table.pointee.ReleaseTensorTypeAndShapeInfo(pointer) }

    /// The element type and dimensions.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func read() throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
        try readTensorTypeAndShape(pointer, api: api)
    }
}
