internal import COnnxRuntime

/// Memory for one output tensor that the caller owns and reuses: ``OnnxRuntimeEngine/run(_:into:)`` has ONNX
/// Runtime write the output straight into it, with no allocation and no copy per call.
///
/// ```swift
/// let logits = TensorBuffer(elementType: .float, shape: [32, 10])!
/// try await engine.run(["input": batch], into: ["output": logits])
/// let best = logits.withUnsafeBufferPointer(of: Float.self) { $0.indices.max { $0 < $1 } }
/// ```
///
/// A buffer is a reference: it is `Sendable` so it can be handed to the run, but it must not be used by two runs
/// at once nor read while a run writes it.
public final class TensorBuffer: @unchecked Sendable {
    // Safe as documented: the caller serialises runs that write the buffer and reads between them; the memory
    // itself never moves or changes size.
    /// The element type.
    public let elementType: TensorElementType
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The number of elements.
    public let count: Int
    private let byteCount: Int
    private let storage: UnsafeMutableRawPointer

    /// Allocates a zeroed buffer.
    /// - Parameters:
    ///   - elementType: A numeric or `bool` element type (not `string`).
    ///   - shape: The dimensions; none negative.
    /// - Returns: The buffer, or `nil` for `string`, the sub-byte types, a negative dimension, or a shape whose size
    ///   overflows `Int`.
    public init?(elementType: TensorElementType, shape: [Int]) {
        guard let width = elementType.byteWidth, elementType != .undefined, let count = Tensor.elementCount(of: shape),
            case let (byteCount, overflow) = count.multipliedReportingOverflow(by: width), !overflow
        else { return nil }
        self.elementType = elementType
        self.shape = shape
        self.count = count
        self.byteCount = byteCount
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, byteCount))
    }

    deinit { storage.deallocate() }

    /// Calls `body` with the elements' bytes.
    /// - Parameter body: Reads the bytes; they must not escape it.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage, count: byteCount))
    }

    /// Calls `body` with the elements typed as `T`, which must have the element type's size (e.g. `Float` for
    /// `float`, `UInt16` for `float16` bits, `Bool` for `bool`).
    /// - Parameters:
    ///   - type: The Swift element type.
    ///   - body: Reads the elements; they must not escape it.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBufferPointer<T: BitwiseCopyable, R, E: Error>(
        of type: T.Type, _ body: (UnsafeBufferPointer<T>) throws(E) -> R
    ) throws(E) -> R {
        precondition(MemoryLayout<T>.stride == elementType.byteWidth, "\(T.self) does not match \(elementType)")
        return try body(UnsafeBufferPointer(start: storage.assumingMemoryBound(to: T.self), count: count))
    }

    /// A copy of the elements as a tensor.
    public var tensor: Tensor {
        Tensor.copying(UnsafeRawPointer(storage), count: count, elementType: elementType, shape: shape)
            ?? Tensor(shape: shape, elements: .float([]))
    }

    /// An ORT value over the buffer (`CreateTensorWithDataAsOrtValue`); releasing it leaves the memory alone.
    func makeValue(api: ORTAPI) throws(OnnxRuntimeStatus) -> ORTValue {
        let memory = try ORTMemoryInfo.cpu()
        let dims = shape.map { Int64($0) }
        var created: OpaquePointer?
        try api.check(api.table.pointee.CreateTensorWithDataAsOrtValue(
            memory.pointer, storage, byteCount, dims, dims.count,
            ONNXTensorElementDataType(rawValue: UInt32(elementType.rawValue)), &created))
        guard let created else { throw .nullResult("CreateTensorWithDataAsOrtValue") }
        return ORTValue(owning: created, api: api)
    }
}
