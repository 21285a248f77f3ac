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
    /// Copies the value into Swift: tensors of every element type ``Tensor`` holds, sequences of values, and maps
    /// with tensor keys and values (ZipMap's `seq(map(int64,tensor(float)))` included).
    /// - Throws: ``ORTReadFailure``.
    func read() throws(ORTReadFailure) -> OnnxValue {
        try withPointer { pointer throws(ORTReadFailure) in try Self.read(pointer, api: api) }
    }

    /// Copies a tensor value (`GetTensorTypeAndShape`, `GetTensorMutableData`; for strings
    /// `GetStringTensorDataLength` and `GetStringTensorContent`).
    /// - Throws: ``ORTReadFailure``.
    func readTensor() throws(ORTReadFailure) -> Tensor {
        try withPointer { pointer throws(ORTReadFailure) in try Self.readTensor(pointer, api: api) }
    }

    /// The element type and dimensions of a tensor value.
    func typeAndShape() throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
        try withPointer { pointer throws(OnnxRuntimeStatus) in try Self.typeAndShape(pointer, api: api) }
    }

    /// The address of a tensor value's elements, or `nil` when it has none.
    func mutableData(count: Int) throws(OnnxRuntimeStatus) -> UnsafeMutableRawPointer? {
        try withPointer { pointer throws(OnnxRuntimeStatus) in try Self.mutableData(pointer, count: count, api: api) }
    }

    // The readers below work on borrowed `OrtValue*`s; the elements of sequences and maps (`GetValue`) are released
    // as soon as they are copied, without a Swift object around each.

    private static func read(_ value: OpaquePointer, api: ORTAPI) throws(ORTReadFailure) -> OnnxValue {
        var kind = ONNX_TYPE_UNKNOWN
        try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in try api.check(api.table.pointee.GetValueType(value, &kind)) }
        switch kind {
        case ONNX_TYPE_TENSOR:
            return .tensor(try readTensor(value, api: api))
        case ONNX_TYPE_SEQUENCE:
            var count = 0
            try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in
                try api.check(api.table.pointee.GetValueCount(value, &count))
            }
            var elements: [OnnxValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                elements.append(try withElement(value, at: index, api: api) { item throws(ORTReadFailure) in
                    try read(item, api: api)
                })
            }
            return .sequence(elements)
        case ONNX_TYPE_MAP:
            let keys = try withElement(value, at: 0, api: api) { item throws(ORTReadFailure) in
                try readTensor(item, api: api)
            }
            let values = try withElement(value, at: 1, api: api) { item throws(ORTReadFailure) in
                try readTensor(item, api: api)
            }
            return .map(keys: keys, values: values)
        case ONNX_TYPE_OPAQUE: throw .unsupported("opaque")
        case ONNX_TYPE_SPARSETENSOR: throw .unsupported("sparse_tensor")
        case ONNX_TYPE_OPTIONAL: throw .unsupported("optional")
        default: throw .unsupported("unknown")
        }
    }

    /// Calls `body` with the element at `index` of a sequence, or the keys (0) or values (1) of a map (`GetValue`),
    /// and releases it afterwards.
    private static func withElement<R>(
        _ value: OpaquePointer, at index: Int, api: ORTAPI, _ body: (OpaquePointer) throws(ORTReadFailure) -> R
    ) throws(ORTReadFailure) -> R {
        var element: OpaquePointer?
        try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.GetValue(value, Int32(index), try api.defaultAllocator(), &element))
        }
        guard let element else { throw .status(.nullResult("GetValue")) }
        defer { api.table.pointee.ReleaseValue(element) }
        return try body(element)
    }

    private static func readTensor(_ value: OpaquePointer, api: ORTAPI) throws(ORTReadFailure) -> Tensor {
        let (elementType, shape) = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in
            try typeAndIntShape(value, api: api)
        }
        let count = shape.reduce(1, *)
        if elementType == .string {
            let strings = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in
                try readStrings(value, count: count, api: api)
            }
            return Tensor(shape: shape, strings: strings)
        }
        guard Tensor.canHold(elementType) else { throw .unsupported("tensor(\(elementType))") }
        let data = try ORTReadFailure.wrap { () throws(OnnxRuntimeStatus) in
            try mutableData(value, count: count, api: api)
        }
        guard let tensor = Tensor.copying(data, count: count, elementType: elementType, shape: shape) else {
            throw .unsupported("tensor(\(elementType))")
        }
        return tensor
    }

    private static func typeAndShape(
        _ value: OpaquePointer, api: ORTAPI
    ) throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
        var info: OpaquePointer?
        try api.check(api.table.pointee.GetTensorTypeAndShape(value, &info))
        guard let info else { throw .nullResult("GetTensorTypeAndShape") }
        defer { api.table.pointee.ReleaseTensorTypeAndShapeInfo(info) }
        return try readTensorTypeAndShape(info, api: api)
    }

    private static func typeAndIntShape(
        _ value: OpaquePointer, api: ORTAPI
    ) throws(OnnxRuntimeStatus) -> (TensorElementType, [Int]) {
        var info: OpaquePointer?
        try api.check(api.table.pointee.GetTensorTypeAndShape(value, &info))
        guard let info else { throw .nullResult("GetTensorTypeAndShape") }
        defer { api.table.pointee.ReleaseTensorTypeAndShapeInfo(info) }
        return try readTensorTypeAndIntShape(info, api: api)
    }

    private static func mutableData(
        _ value: OpaquePointer, count: Int, api: ORTAPI
    ) throws(OnnxRuntimeStatus) -> UnsafeMutableRawPointer? {
        guard count > 0 else { return nil }
        var data: UnsafeMutableRawPointer?
        try api.check(api.table.pointee.GetTensorMutableData(value, &data))
        return data
    }

    /// The elements of a string tensor: its bytes and their offsets in one call each.
    private static func readStrings(_ value: OpaquePointer, count: Int, api: ORTAPI) throws(OnnxRuntimeStatus) -> [String] {
        guard count > 0 else { return [] }
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
