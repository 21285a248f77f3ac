internal import COnnxRuntime

/// Copies native values into ``OnnxValue``s for one run, with as few ORT calls and Swift allocations as the C API
/// allows.
///
/// A ZipMap output (`seq(map(int64,tensor(float)))`, one map per input row) is the costly case: through the C API
/// every map is copied out of the sequence (`GetValue`), then its keys and its values are each copied again into a
/// new tensor (`GetValue` on the map). The reader makes only the calls that are needed and shares what the maps have
/// in common:
/// - the values tensor of a map has as many elements as its keys tensor, and the element type the model declares,
///   so it is read without a second `GetTensorTypeAndShape` (which allocates an `OrtTensorTypeAndShapeInfo`);
/// - tensors of equal shape share one shape array, and a map whose keys equal the previous map's (ZipMap: the class
///   labels, the same in every row) shares its keys array, instead of allocating each again;
/// - the default allocator `GetValue` needs is fetched once per run, not once per element.
/// The values it returns are the same as a plain element-by-element copy.
struct ORTValueReader {
    let api: ORTAPI
    private var allocator: UnsafeMutablePointer<OrtAllocator>?
    /// The shape of the last tensor read, shared by the next tensor of the same shape.
    private var lastShape: [Int] = []
    /// The keys of the last map read, shared by the next map with equal keys.
    private var lastKeys: Tensor?

    /// A reader for values of one run.
    init(api: ORTAPI) { self.api = api }

    /// Copies a borrowed value into Swift: tensors of every element type ``Tensor`` holds, sequences of values, and
    /// maps with tensor keys and values.
    /// - Parameters:
    ///   - value: The `OrtValue*`; the reader does not release it.
    ///   - declared: The type the model declares for the value, which lets a map's values skip a type query; `nil`
    ///     when unknown.
    /// - Throws: ``ORTReadFailure``.
    mutating func read(_ value: OpaquePointer, declared: OnnxValueType?) throws(ORTReadFailure) -> OnnxValue {
        var kind = ONNX_TYPE_UNKNOWN
        try wrap { () throws(OnnxRuntimeStatus) in try api.check(api.table.pointee.GetValueType(value, &kind)) }
        switch kind {
        case ONNX_TYPE_TENSOR:
            return .tensor(try readTensor(value))
        case ONNX_TYPE_SEQUENCE:
            var count = 0
            try wrap { () throws(OnnxRuntimeStatus) in try api.check(api.table.pointee.GetValueCount(value, &count)) }
            let elementType: OnnxValueType? = if case .sequence(let element) = declared { element } else { nil }
            var elements: [OnnxValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                let element = try element(of: value, at: index)
                defer { api.table.pointee.ReleaseValue(element) }
                elements.append(try read(element, declared: elementType))
            }
            return .sequence(elements)
        case ONNX_TYPE_MAP:
            return try readMap(value, declared: declared)
        case ONNX_TYPE_OPAQUE: throw .unsupported("opaque")
        case ONNX_TYPE_SPARSETENSOR: throw .unsupported("sparse_tensor")
        case ONNX_TYPE_OPTIONAL: throw .unsupported("optional")
        default: throw .unsupported("unknown")
        }
    }

    /// Copies a borrowed tensor value (`GetTensorTypeAndShape`, `GetTensorMutableData`; for strings
    /// `GetStringTensorDataLength` and `GetStringTensorContent`).
    /// - Throws: ``ORTReadFailure``.
    mutating func readTensor(_ value: OpaquePointer) throws(ORTReadFailure) -> Tensor {
        let elementType = try typeAndShape(value)
        let shape = lastShape
        return try readTensor(value, elementType: elementType, shape: shape, count: shape.reduce(1, *))
    }

    /// Calls `body` with a borrowed `float` tensor's elements in ORT's memory and its dimensions.
    /// - Throws: ``ORTReadFailure``: `unsupported` for a value that is not a `float` tensor.
    mutating func withFloats<R>(
        of value: OpaquePointer, _ body: (UnsafePointer<Float>?, [Int]) -> R
    ) throws(ORTReadFailure) -> R {
        let elementType = try typeAndShape(value)
        guard elementType == .float else { throw .unsupported("tensor(\(elementType)) where tensor(float) was expected") }
        let shape = lastShape
        let data = try wrap { () throws(OnnxRuntimeStatus) in try mutableData(value, count: shape.reduce(1, *)) }
        return body(data.map { UnsafePointer($0.assumingMemoryBound(to: Float.self)) }, shape)
    }

    // MARK: - Private

    /// A map: its keys (`GetValue` 0) read in full, its values (`GetValue` 1) read with the keys' shape when the
    /// model declares their numeric element type.
    private mutating func readMap(_ value: OpaquePointer, declared: OnnxValueType?) throws(ORTReadFailure) -> OnnxValue {
        let keysValue = try element(of: value, at: 0)
        let keys: Tensor
        do {
            defer { api.table.pointee.ReleaseValue(keysValue) }
            keys = try readKeys(keysValue)
        }
        let valuesValue = try element(of: value, at: 1)
        defer { api.table.pointee.ReleaseValue(valuesValue) }
        let values: Tensor
        if case .map(_, .tensor(let elementType, _)) = declared, elementType != .string, Tensor.canHold(elementType) {
            // ORT builds both tensors from the same map: one element per entry, shape [entries].
            values = try readTensor(valuesValue, elementType: elementType, shape: keys.shape, count: keys.count)
        } else {
            values = try readTensor(valuesValue)
        }
        return .map(keys: keys, values: values)
    }

    /// A map's keys, sharing the previous map's array when the elements are equal.
    private mutating func readKeys(_ value: OpaquePointer) throws(ORTReadFailure) -> Tensor {
        let elementType = try typeAndShape(value)
        let shape = lastShape
        let count = shape.reduce(1, *)
        if let previous = lastKeys, previous.elementType == elementType, previous.shape == shape,
            elementType != .string, let width = elementType.byteWidth
        {
            let data = try wrap { () throws(OnnxRuntimeStatus) in try mutableData(value, count: count) }
            let equal = previous.withUnsafeElementBytes { bytes in
                bytes.count == count * width
                    && (count == 0 || data.map { bytes.elementsEqual(UnsafeRawBufferPointer(start: $0, count: bytes.count)) } == true)
            }
            if equal == true { return previous }
            let keys = try copy(data, count: count, elementType: elementType, shape: shape)
            lastKeys = keys
            return keys
        }
        let keys = try readTensor(value, elementType: elementType, shape: shape, count: count)
        lastKeys = keys
        return keys
    }

    private func readTensor(
        _ value: OpaquePointer, elementType: TensorElementType, shape: [Int], count: Int
    ) throws(ORTReadFailure) -> Tensor {
        if elementType == .string {
            let strings = try wrap { () throws(OnnxRuntimeStatus) in try readStrings(value, count: count) }
            return Tensor(shape: shape, strings: strings)
        }
        guard Tensor.canHold(elementType) else { throw .unsupported("tensor(\(elementType))") }
        let data = try wrap { () throws(OnnxRuntimeStatus) in try mutableData(value, count: count) }
        return try copy(data, count: count, elementType: elementType, shape: shape)
    }

    private func copy(
        _ data: UnsafeMutableRawPointer?, count: Int, elementType: TensorElementType, shape: [Int]
    ) throws(ORTReadFailure) -> Tensor {
        guard let tensor = Tensor.copying(data, count: count, elementType: elementType, shape: shape) else {
            throw .unsupported("tensor(\(elementType))")
        }
        return tensor
    }

    /// The element type of a tensor value; its dimensions are left in ``lastShape`` (the same array as before when
    /// they did not change, so equal shapes share storage).
    private mutating func typeAndShape(_ value: OpaquePointer) throws(ORTReadFailure) -> TensorElementType {
        let table = api.table  // not `.pointee`: binding that copies the whole table
        var info: OpaquePointer?
        try wrap { () throws(OnnxRuntimeStatus) in try api.check(table.pointee.GetTensorTypeAndShape(value, &info)) }
        guard let info else { throw .status(.nullResult("GetTensorTypeAndShape")) }
        defer { table.pointee.ReleaseTensorTypeAndShapeInfo(info) }
        var elementType = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        var rank = 0
        try wrap { () throws(OnnxRuntimeStatus) in
            try api.check(table.pointee.GetTensorElementType(info, &elementType))
            try api.check(table.pointee.GetDimensionsCount(info, &rank))
        }
        let status = withUnsafeTemporaryAllocation(of: Int64.self, capacity: max(1, rank)) { dims in
            let status = table.pointee.GetDimensions(info, dims.baseAddress, rank)
            if status == nil {
                let same = lastShape.count == rank && (0..<rank).allSatisfy { Int64(lastShape[$0]) == dims[$0] }
                if !same { lastShape = (0..<rank).map { Int(dims[$0]) } }
            }
            return status
        }
        try wrap { () throws(OnnxRuntimeStatus) in try api.check(status) }
        return TensorElementType(native: elementType)
    }

    /// The element at `index` of a sequence, or the keys (0) or values (1) of a map (`GetValue`); the caller
    /// releases it.
    private mutating func element(of value: OpaquePointer, at index: Int) throws(ORTReadFailure) -> OpaquePointer {
        let allocator: UnsafeMutablePointer<OrtAllocator>
        if let known = self.allocator {
            allocator = known
        } else {
            allocator = try wrap { () throws(OnnxRuntimeStatus) in try api.defaultAllocator() }
            self.allocator = allocator
        }
        var element: OpaquePointer?
        try wrap { () throws(OnnxRuntimeStatus) in
            try api.check(api.table.pointee.GetValue(value, Int32(index), allocator, &element))
        }
        guard let element else { throw .status(.nullResult("GetValue")) }
        return element
    }

    private func mutableData(_ value: OpaquePointer, count: Int) throws(OnnxRuntimeStatus) -> UnsafeMutableRawPointer? {
        guard count > 0 else { return nil }
        var data: UnsafeMutableRawPointer?
        try api.check(api.table.pointee.GetTensorMutableData(value, &data))
        return data
    }

    /// The elements of a string tensor: its bytes and their offsets in one call each.
    private func readStrings(_ value: OpaquePointer, count: Int) throws(OnnxRuntimeStatus) -> [String] {
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

    private func wrap<T>(_ body: () throws(OnnxRuntimeStatus) -> T) throws(ORTReadFailure) -> T {
        try ORTReadFailure.wrap(body)
    }
}
