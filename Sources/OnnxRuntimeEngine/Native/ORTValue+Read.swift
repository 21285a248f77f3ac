internal import COnnxRuntime

/// Why a native value could not be turned into an ``OnnxValue``.
enum ORTReadFailure: Error {
    /// ORT failed.
    case status(OnnxRuntimeStatus)
    /// The value's type has no Swift representation here; the string names it, e.g. `tensor(string)`.
    case unsupported(String)

    /// Runs an ORT call, wrapping its failure.
    static func wrap<T>(_ body: () throws(OnnxRuntimeStatus) -> T) throws(ORTReadFailure) -> T {
        do throws(OnnxRuntimeStatus) { return try body() } catch { throw .status(error) }
    }
}

// MARK: - Reading

extension ORTValue {
    /// Copies the value into Swift: tensors (float, int64, double), sequences of values, and maps with tensor keys
    /// and values (ZipMap's `seq(map(int64,tensor(float)))` included).
    /// - Throws: ``ORTReadFailure``.
    func read() throws(ORTReadFailure) -> OnnxValue {
        switch try ORTReadFailure.wrap({ () throws(OnnxRuntimeStatus) in try kind() }) {
        case ONNX_TYPE_TENSOR:
            return .tensor(try readTensor())
        case ONNX_TYPE_SEQUENCE:
            let count = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try elementCount() }
            var elements: [OnnxValue] = []
            for index in 0..<count {
                let item = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try self.element(at: index) }
                elements.append(try item.read())
            }
            return .sequence(elements)
        case ONNX_TYPE_MAP:
            let keys = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try element(at: 0) }
            let values = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try element(at: 1) }
            return .map(keys: try keys.readTensor(), values: try values.readTensor())
        case ONNX_TYPE_OPAQUE: throw .unsupported("opaque")
        case ONNX_TYPE_SPARSETENSOR: throw .unsupported("sparse_tensor")
        case ONNX_TYPE_OPTIONAL: throw .unsupported("optional")
        default: throw .unsupported("unknown")
        }
    }

    /// Copies a tensor value of a supported element type (`GetTensorTypeAndShape`, `GetTensorMutableData`; for
    /// strings `GetStringTensorDataLength` and `GetStringTensorContent`).
    /// - Throws: ``ORTReadFailure``.
    func readTensor() throws(ORTReadFailure) -> Tensor {
        let (elementType, dims) = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try typeAndShape() }
        let shape = dims.map { Int($0) }
        let count = shape.reduce(1, *)
        if elementType == .string {
            let strings = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try readStrings(count: count) }
            return Tensor(shape: shape, strings: strings)
        }
        guard Tensor.supportedElementTypes.contains(elementType) else { throw .unsupported("tensor(\(elementType))") }
        let data = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try mutableData(count: count) }
        guard let tensor = Tensor.copying(data, count: count, elementType: elementType, shape: shape) else {
            throw .unsupported("tensor(\(elementType))")
        }
        return tensor
    }

    /// The element type and dimensions of a tensor value.
    func typeAndShape() throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
        try ORTTensorShapeInfo(of: self).read()
    }

    /// The address of a tensor value's elements, or `nil` when it has none.
    func mutableData(count: Int) throws(OnnxRuntimeStatus) -> UnsafeMutableRawPointer? {
        guard count > 0 else { return nil }
        var data: UnsafeMutableRawPointer?
        try withPointer { value throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.GetTensorMutableData(value, &data))
        }
        return data
    }

    /// The elements of a string tensor: its bytes and their offsets in one call each.
    private func readStrings(count: Int) throws(OnnxRuntimeStatus) -> [String] {
        guard count > 0 else { return [] }
        return try withPointer { value throws(OnnxRuntimeStatus) -> [String] in
            var length = 0
            try api.check(api.table.pointee.GetStringTensorDataLength(value, &length))
            var bytes = [UInt8](repeating: 0, count: max(1, length))
            var offsets = [Int](repeating: 0, count: count)
            let status = bytes.withUnsafeMutableBytes { buffer in
                api.table.pointee.GetStringTensorContent(value, buffer.baseAddress, length, &offsets, count)
            }
            try api.check(status)
            return (0..<count).map { index in
                let end = index + 1 < count ? offsets[index + 1] : length
                return String(decoding: bytes[offsets[index]..<end], as: UTF8.self)
            }
        }
    }
}
