// MARK: - Native storage

extension Tensor {
    /// Calls `body` with the raw bytes of the elements, row-major in the machine's byte order (little-endian on every
    /// supported platform) as ONNX Runtime lays them out (`Bool` is one byte, 0 or 1), e.g. to write a binary
    /// response; returns `nil` for `string` tensors, which have no such layout. The bytes are valid for the call.
    /// - Parameter body: Reads the bytes; they must not escape it.
    /// - Returns: What `body` returns, or `nil` for a string tensor.
    public func withUnsafeElementBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        withElementBytes({ bytes in .some(body(bytes)) }, strings: { _ in nil })
    }

    /// Calls `body` with the raw bytes of a numeric or `bool` tensor, as ``withUnsafeElementBytes(_:)`` does, and
    /// `strings` with the elements of a string tensor; both return the same type, so nothing is wrapped in an
    /// optional on the way back.
    func withElementBytes<R>(_ body: (UnsafeRawBufferPointer) -> R, strings: ([String]) -> R) -> R {
        switch elements {
        case .bool(let values): values.withUnsafeBytes(body)
        case .uint8(let values): values.withUnsafeBytes(body)
        case .int8(let values): values.withUnsafeBytes(body)
        case .uint16(let values), .float16(let values), .bfloat16(let values): values.withUnsafeBytes(body)
        case .int16(let values): values.withUnsafeBytes(body)
        case .uint32(let values): values.withUnsafeBytes(body)
        case .int32(let values): values.withUnsafeBytes(body)
        case .uint64(let values): values.withUnsafeBytes(body)
        case .int64(let values): values.withUnsafeBytes(body)
        case .float(let values): values.withUnsafeBytes(body)
        case .double(let values): values.withUnsafeBytes(body)
        case .string(let values): strings(values)
        }
    }

    /// Creates a tensor of a numeric or `bool` element type from raw bytes laid out as
    /// ``withUnsafeElementBytes(_:)`` gives them (e.g. a KServe binary-data input).
    /// - Parameters:
    ///   - shape: The dimensions, none negative.
    ///   - elementType: The element type; not `string` or the sub-byte and complex types.
    ///   - bytes: Exactly the product of `shape` elements' worth of bytes.
    /// - Returns: The tensor, or `nil` when the type has no fixed layout, a dimension is negative, the shape's size
    ///   overflows `Int`, or the byte count does not match.
    public init?(shape: [Int], elementType: TensorElementType, bytes: some Collection<UInt8>) {
        guard let width = elementType.byteWidth, Tensor.canHold(elementType),
            let count = Tensor.elementCount(of: shape),
            case let (byteCount, overflow) = count.multipliedReportingOverflow(by: width), !overflow,
            bytes.count == byteCount
        else { return nil }
        let contiguous = Array(bytes)
        let tensor = contiguous.withUnsafeBytes { raw in
            Tensor.copying(raw.baseAddress, count: raw.count / width, elementType: elementType, shape: shape)
        }
        guard let tensor else { return nil }
        self = tensor
    }

    /// Copies `count` elements of `elementType` from ORT memory into a tensor.
    /// - Returns: The tensor, or `nil` for `string` and for element types a tensor cannot hold.
    static func copying(
        _ data: UnsafeRawPointer?, count: Int, elementType: TensorElementType, shape: [Int]
    ) -> Tensor? {
        func copy<T: BitwiseCopyable>(_ type: T.Type) -> [T] {
            guard let data, count > 0 else { return [] }
            // `Array(UnsafeBufferPointer)`, not `init(unsafeUninitializedCapacity:)`: the latter looks the array
            // storage's generic metadata up in the runtime on every call, about twice the cost for a small tensor.
            return data.withMemoryRebound(to: T.self, capacity: count) { elements in
                Array(UnsafeBufferPointer(start: elements, count: count))
            }
        }
        let elements: Elements
        switch elementType {
        case .bool: elements = .bool(copy(Bool.self))
        case .uint8: elements = .uint8(copy(UInt8.self))
        case .int8: elements = .int8(copy(Int8.self))
        case .uint16: elements = .uint16(copy(UInt16.self))
        case .int16: elements = .int16(copy(Int16.self))
        case .uint32: elements = .uint32(copy(UInt32.self))
        case .int32: elements = .int32(copy(Int32.self))
        case .uint64: elements = .uint64(copy(UInt64.self))
        case .int64: elements = .int64(copy(Int64.self))
        case .float16: elements = .float16(bits: copy(UInt16.self))
        case .bfloat16: elements = .bfloat16(bits: copy(UInt16.self))
        case .float: elements = .float(copy(Float.self))
        case .double: elements = .double(copy(Double.self))
        default: return nil
        }
        return Tensor(shape: shape, elements: elements)
    }
}

extension TensorElementType {
    /// The size of one element in ORT's memory, or `nil` for `string` and the sub-byte and complex types.
    public var byteWidth: Int? {
        switch self {
        case .bool, .uint8, .int8, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .uint32, .int32, .float: 4
        case .uint64, .int64, .double, .complex64: 8
        case .complex128: 16
        case .undefined, .string, .uint4, .int4, .float4e2m1: nil
        }
    }
}
