internal import COnnxRuntime

/// Why a native value could not be turned into an ``OnnxValue``.
enum ORTReadFailure: Error {
    /// ORT failed.
    case status(OnnxRuntimeStatus)
    /// The value's type has no Swift representation here; the string names it, e.g. `tensor(complex64)`.
    case unsupported(String)

    /// Runs an ORT call, wrapping its failure.
    static func wrap<T>(_ body: () throws(OnnxRuntimeStatus) -> T) throws(ORTReadFailure) -> T {
        do throws(OnnxRuntimeStatus) { return try body() } catch { throw .status(error) }
    }
}

// MARK: - Reading

extension ORTValue {
    /// Copies the value into Swift (see ``ORTValueReader``).
    /// - Parameter declared: The type the model declares for it, if known.
    /// - Throws: ``ORTReadFailure``.
    func read(declared: OnnxValueType? = nil) throws(ORTReadFailure) -> OnnxValue {
        var reader = ORTValueReader(api: api)
        return try withPointer { pointer throws(ORTReadFailure) in try reader.read(pointer, declared: declared) }
    }

    /// The element type and dimensions of a tensor value.
    func typeAndShape() throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
        try withPointer { pointer throws(OnnxRuntimeStatus) in
            var info: OpaquePointer?
            try api.check(api.table.pointee.GetTensorTypeAndShape(pointer, &info))
            guard let info else { throw .nullResult("GetTensorTypeAndShape") }
            defer { api.table.pointee.ReleaseTensorTypeAndShapeInfo(info) }
            return try readTensorTypeAndShape(info, api: api)
        }
    }

    /// The address of a tensor value's elements, or `nil` when it has none.
    func mutableData(count: Int) throws(OnnxRuntimeStatus) -> UnsafeMutableRawPointer? {
        guard count > 0 else { return nil }
        return try withPointer { pointer throws(OnnxRuntimeStatus) in
            var data: UnsafeMutableRawPointer?
            try api.check(api.table.pointee.GetTensorMutableData(pointer, &data))
            return data
        }
    }
}
