internal import COnnxRuntime

/// Owns one `OrtTypeInfo`: the declared type of a model input or output, or of a sequence element or map value.
final class ORTTypeInfo {
    private let pointer: OpaquePointer
    private let api: ORTAPI

    /// Takes ownership of a type info; it is freed with `ReleaseTypeInfo`.
    init(owning pointer: OpaquePointer, api: ORTAPI) {
        self.pointer = pointer
        self.api = api
    }

    deinit { api.table.pointee.ReleaseTypeInfo(pointer) }

    /// The type this info describes, recursively for sequences and maps (`GetOnnxTypeFromTypeInfo`,
    /// `CastTypeInfoToTensorInfo`, `CastTypeInfoToSequenceTypeInfo`, `GetSequenceElementType`,
    /// `CastTypeInfoToMapTypeInfo`, `GetMapKeyType`, `GetMapValueType`).
    /// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
    func describe() throws(OnnxRuntimeStatus) -> OnnxValueType {
        let table = api.table  // not `.pointee`: binding that copies the whole table
        var kind = ONNX_TYPE_UNKNOWN
        try api.check(table.pointee.GetOnnxTypeFromTypeInfo(pointer, &kind))
        switch kind {
        case ONNX_TYPE_TENSOR:
            var tensor: OpaquePointer?  // Borrowed: valid while `self` lives, not freed.
            try api.check(table.pointee.CastTypeInfoToTensorInfo(pointer, &tensor))
            guard let tensor else { throw .nullResult("CastTypeInfoToTensorInfo") }
            let (elementType, shape) = try readTensorTypeAndShape(tensor, api: api)
            return .tensor(elementType: elementType, shape: shape)
        case ONNX_TYPE_SEQUENCE:
            var sequence: OpaquePointer?  // Borrowed.
            try api.check(table.pointee.CastTypeInfoToSequenceTypeInfo(pointer, &sequence))
            var element: OpaquePointer?  // Owned.
            try api.check(table.pointee.GetSequenceElementType(sequence, &element))
            guard let element else { throw .nullResult("GetSequenceElementType") }
            return .sequence(try ORTTypeInfo(owning: element, api: api).describe())
        case ONNX_TYPE_MAP:
            var map: OpaquePointer?  // Borrowed.
            try api.check(table.pointee.CastTypeInfoToMapTypeInfo(pointer, &map))
            var key = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
            try api.check(table.pointee.GetMapKeyType(map, &key))
            var value: OpaquePointer?  // Owned.
            try api.check(table.pointee.GetMapValueType(map, &value))
            guard let value else { throw .nullResult("GetMapValueType") }
            return .map(key: TensorElementType(native: key), value: try ORTTypeInfo(owning: value, api: api).describe())
        case ONNX_TYPE_OPAQUE: return .other("opaque")
        case ONNX_TYPE_SPARSETENSOR: return .other("sparse_tensor")
        case ONNX_TYPE_OPTIONAL: return .other("optional")
        default: return .other("unknown")
        }
    }
}

/// Reads element type and dimensions from a borrowed `OrtTensorTypeAndShapeInfo*` (`GetTensorElementType`,
/// `GetDimensionsCount`, `GetDimensions`). Free dimensions are -1.
/// - Throws: ``OnnxRuntimeStatus`` when ORT fails.
func readTensorTypeAndShape(
    _ info: OpaquePointer, api: ORTAPI
) throws(OnnxRuntimeStatus) -> (TensorElementType, [Int64]) {
    var elementType = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
    try api.check(api.table.pointee.GetTensorElementType(info, &elementType))
    var rank = 0
    try api.check(api.table.pointee.GetDimensionsCount(info, &rank))
    var dims = [Int64](repeating: 0, count: rank)
    try api.check(api.table.pointee.GetDimensions(info, &dims, rank))
    return (TensorElementType(native: elementType), dims)
}
