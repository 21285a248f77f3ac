internal import COnnxRuntime

/// The element type of a tensor, with ONNX's numbering (`ONNXTensorElementDataType`).
///
/// ``Tensor`` holds `float`, `int64` and `double` elements; the other cases appear in model descriptions.
///
/// ```swift
/// if engine.inputs.first?.elementType == .float { /* feed Float data */ }
/// ```
public enum TensorElementType: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Unknown or not set.
    case undefined = 0
    /// 32-bit IEEE float (`Float`).
    case float = 1
    /// Unsigned 8-bit integer.
    case uint8 = 2
    /// Signed 8-bit integer.
    case int8 = 3
    /// Unsigned 16-bit integer.
    case uint16 = 4
    /// Signed 16-bit integer.
    case int16 = 5
    /// Signed 32-bit integer.
    case int32 = 6
    /// Signed 64-bit integer (`Int64`).
    case int64 = 7
    /// UTF-8 string.
    case string = 8
    /// Boolean.
    case bool = 9
    /// 16-bit IEEE float.
    case float16 = 10
    /// 64-bit IEEE float (`Double`).
    case double = 11
    /// Unsigned 32-bit integer.
    case uint32 = 12
    /// Unsigned 64-bit integer.
    case uint64 = 13
    /// Complex number of two 32-bit floats.
    case complex64 = 14
    /// Complex number of two 64-bit floats.
    case complex128 = 15
    /// Brain floating point (16 bits).
    case bfloat16 = 16
    /// 8-bit float, E4M3 finite-only.
    case float8e4m3fn = 17
    /// 8-bit float, E4M3 finite-only without negative zero.
    case float8e4m3fnuz = 18
    /// 8-bit float, E5M2.
    case float8e5m2 = 19
    /// 8-bit float, E5M2 without negative zero.
    case float8e5m2fnuz = 20
    /// Unsigned 4-bit integer.
    case uint4 = 21
    /// Signed 4-bit integer.
    case int4 = 22
    /// 4-bit float, E2M1.
    case float4e2m1 = 23

    /// ONNX's name for the type, as in `tensor(float)`; `bool` for booleans.
    public var description: String {
        caseName
    }

    private var caseName: String {
        switch self {
        case .undefined: "undefined"
        case .float: "float"
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .float16: "float16"
        case .double: "double"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .bfloat16: "bfloat16"
        case .float8e4m3fn: "float8e4m3fn"
        case .float8e4m3fnuz: "float8e4m3fnuz"
        case .float8e5m2: "float8e5m2"
        case .float8e5m2fnuz: "float8e5m2fnuz"
        case .uint4: "uint4"
        case .int4: "int4"
        case .float4e2m1: "float4e2m1"
        }
    }

    /// Maps ORT's value; values newer than this library become ``undefined``.
    init(native: ONNXTensorElementDataType) {
        self = TensorElementType(rawValue: Int32(truncatingIfNeeded: native.rawValue)) ?? .undefined
    }
}
