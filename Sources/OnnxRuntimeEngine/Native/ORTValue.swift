internal import COnnxRuntime

/// Owns one `OrtValue`: an input tensor the engine built, an output ORT returned, or an element taken out of a
/// sequence or map.
final class ORTValue: @unchecked Sendable {
    // Safe: a value belongs to one run, which uses it on one thread at a time; it crosses threads only when a run's
    // outputs are handed from the native queue back to the caller, after ORT has finished writing them.
    private let pointer: OpaquePointer
    /// The API table.
    let api: ORTAPI

    /// Takes ownership of a value; it is freed with `ReleaseValue`.
    init(owning pointer: OpaquePointer, api: ORTAPI) {
        self.pointer = pointer
        self.api = api
    }

    deinit { api.table.pointee.ReleaseValue(pointer) }

    /// Calls `body` with an ORT value for `tensor`. Numeric tensors are not copied: the value is created over the
    /// tensor's own storage (`CreateTensorWithDataAsOrtValue`), which stays valid for the call and is released
    /// afterwards. String tensors, and empty ones, are copied into an ORT-allocated value (`CreateTensorAsOrtValue`,
    /// `FillStringTensor`). The tensor must already be validated against the model.
    ///
    /// Every path returns `body`'s own result type, failures included (ORT's, as
    /// ``OnnxRuntimeError/native(model:operation:status:)`` naming `model`): a run's outputs pass back through
    /// here, and wrapping them in another enum on the way cost a copy at each level.
    static func withValue<Output>(
        for tensor: Tensor, api: ORTAPI, model: String,
        _ body: (OpaquePointer) -> Result<Output, OnnxRuntimeError>
    ) -> Result<Output, OnnxRuntimeError> {
        let elementType = ONNXTensorElementDataType(rawValue: UInt32(tensor.elementType.rawValue))
        func failure(_ status: OnnxRuntimeStatus, _ operation: String) -> Result<Output, OnnxRuntimeError> {
            .failure(.native(model: model, operation: operation, status: status))
        }
        func copied() -> Result<Output, OnnxRuntimeError> {
            do throws(OnnxRuntimeStatus) {
                let value = try allocated(tensor, elementType: elementType, api: api)
                return value.withPointer(body)
            } catch {
                return failure(error, "CreateTensorAsOrtValue")
            }
        }
        guard tensor.count > 0 else { return copied() }
        return tensor.withElementBytes({ bytes in
            let memory: ORTMemoryInfo
            do throws(OnnxRuntimeStatus) {
                memory = try ORTMemoryInfo.cpu()
            } catch {
                return failure(error, "CreateCpuMemoryInfo")
            }
            var created: OpaquePointer?
            let status = tensor.shape.withUnsafeBufferPointer { dims in
                dims.withMemoryRebound(to: Int64.self) { dims in
                    api.table.pointee.CreateTensorWithDataAsOrtValue(
                        memory.pointer, UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count,
                        dims.baseAddress, dims.count, elementType, &created)
                }
            }
            do throws(OnnxRuntimeStatus) {
                try api.check(status)
            } catch {
                return failure(error, "CreateTensorWithDataAsOrtValue")
            }
            guard let created else {
                return failure(.nullResult("CreateTensorWithDataAsOrtValue"), "CreateTensorWithDataAsOrtValue")
            }
            defer { api.table.pointee.ReleaseValue(created) }
            return body(created)
        }, strings: { _ in copied() })
    }

    /// A new ORT-allocated tensor holding a copy of `tensor` (`CreateTensorAsOrtValue`, then `FillStringTensor` for
    /// strings; numeric tensors reaching here are empty).
    private static func allocated(
        _ tensor: Tensor, elementType: ONNXTensorElementDataType, api: ORTAPI
    ) throws(OnnxRuntimeStatus) -> ORTValue {
        let allocator = try api.defaultAllocator()
        let shape = tensor.shape.map { Int64($0) }
        var created: OpaquePointer?
        try api.check(api.table.pointee.CreateTensorAsOrtValue(allocator, shape, shape.count, elementType, &created))
        guard let created else { throw .nullResult("CreateTensorAsOrtValue") }
        let value = ORTValue(owning: created, api: api)
        if case .string(let strings) = tensor.elements, !strings.isEmpty {
            try withCStrings(strings) { pointers throws(OnnxRuntimeStatus) in
                try api.check(api.table.pointee.FillStringTensor(created, pointers, pointers.count))
            }
        }
        return value
    }

    /// Calls `body` with the `OrtValue*`, which stays valid for the call.
    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }

    /// Calls `body` with the `OrtValue*` of every value, all kept alive for the call.
    static func withPointers<R, E: Error>(
        _ values: [ORTValue], _ body: ([OpaquePointer?]) throws(E) -> R
    ) throws(E) -> R {
        defer { withExtendedLifetime(values) {} }
        return try body(values.map(\.pointer))
    }

    /// The element at `index` of a sequence, or the keys (0) or values (1) of a map (`GetValue`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func element(at index: Int) throws(OnnxRuntimeStatus) -> ORTValue {
        let allocator = try api.defaultAllocator()
        var element: OpaquePointer?
        try api.check(api.table.pointee.GetValue(pointer, Int32(index), allocator, &element))
        guard let element else { throw .nullResult("GetValue") }
        return ORTValue(owning: element, api: api)
    }

    /// The number of elements of a sequence, or 2 for a map (`GetValueCount`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func elementCount() throws(OnnxRuntimeStatus) -> Int {
        var count = 0
        try api.check(api.table.pointee.GetValueCount(pointer, &count))
        return count
    }

    /// Whether the value is a tensor, sequence, map… (`GetValueType`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func kind() throws(OnnxRuntimeStatus) -> ONNXType {
        var kind = ONNX_TYPE_UNKNOWN
        try api.check(api.table.pointee.GetValueType(pointer, &kind))
        return kind
    }
}
