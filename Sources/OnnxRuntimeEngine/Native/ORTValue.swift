internal import COnnxRuntime
internal import Foundation

/// Owns one `OrtValue`: an input tensor the engine built, an output ORT returned, or an element taken out of a
/// sequence or map. Used by one run on one thread at a time.
final class ORTValue {
    private let pointer: OpaquePointer
    /// The API table.
    let api: ORTAPI

    /// Takes ownership of a value; it is freed with `ReleaseValue`.
    init(owning pointer: OpaquePointer, api: ORTAPI) {
        self.pointer = pointer
        self.api = api
    }

    deinit { api.table.pointee.ReleaseValue(pointer) }

    /// Copies a tensor into a new ORT-allocated value (`CreateTensorAsOrtValue` with the default allocator, then
    /// `GetTensorMutableData`). The tensor must already be validated against the model.
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    static func tensor(_ tensor: Tensor, api: ORTAPI) throws(OnnxRuntimeStatus) -> ORTValue {
        let allocator = try api.defaultAllocator()
        let shape = tensor.shape.map { Int64($0) }
        let elementType = ONNXTensorElementDataType(rawValue: UInt32(tensor.elementType.rawValue))
        var created: OpaquePointer?
        try api.check(api.table.pointee.CreateTensorAsOrtValue(allocator, shape, shape.count, elementType, &created))
        guard let created else { throw .nullResult("CreateTensorAsOrtValue") }
        let value = ORTValue(owning: created, api: api)
        guard tensor.count > 0 else { return value }
        var data: UnsafeMutableRawPointer?
        try api.check(api.table.pointee.GetTensorMutableData(created, &data))
        guard let data else { throw .nullResult("GetTensorMutableData") }
        switch tensor.elements {
        case .float(let values): values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        case .int64(let values): values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        case .double(let values): values.withUnsafeBytes { data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
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
