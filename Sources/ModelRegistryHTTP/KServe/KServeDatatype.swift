import OnnxRuntimeEngine

/// One tensor datatype of the KServe v2 protocol and how it maps onto the ONNX engine's ``Tensor``.
///
/// Adding a datatype the engine can hold is one entry in ``supported``.
struct KServeDatatype: Sendable {
    /// The protocol's name, e.g. `FP32`.
    let name: String
    /// The ONNX element type.
    let elementType: TensorElementType
    /// Builds a tensor from the request's (flattened) numbers.
    let tensor: @Sendable (_ shape: [Int], _ data: [KServeNumber]) -> Tensor
    /// The tensor's elements as numbers; `nil` when the tensor holds another type.
    let values: @Sendable (Tensor) -> [KServeNumber]?

    /// The datatypes the engine's ``Tensor`` holds today.
    static let supported: [KServeDatatype] = [
        KServeDatatype(
            name: "FP32", elementType: .float, tensor: { Tensor(shape: $0, floats: $1.map { Float($0.double) }) },
            values: { $0.floats?.map(KServeNumber.float) }),
        KServeDatatype(
            name: "FP64", elementType: .double, tensor: { Tensor(shape: $0, doubles: $1.map(\.double)) },
            values: { $0.doubles?.map(KServeNumber.double) }),
        KServeDatatype(
            name: "INT64", elementType: .int64, tensor: { Tensor(shape: $0, int64s: $1.map(\.int64)) },
            values: { $0.int64s?.map(KServeNumber.int) }),
    ]

    /// The supported datatype of a protocol name.
    static func named(_ name: String) -> KServeDatatype? { supported.first { $0.name == name } }

    /// The supported datatype of an ONNX element type.
    static func of(_ elementType: TensorElementType) -> KServeDatatype? { supported.first { $0.elementType == elementType } }

    /// The protocol's name for any ONNX element type (for metadata, including types the engine cannot exchange).
    static func protocolName(of elementType: TensorElementType) -> String {
        switch elementType {
        case .float: "FP32"
        case .double: "FP64"
        case .float16: "FP16"
        case .bfloat16: "BF16"
        case .int8: "INT8"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .uint8: "UINT8"
        case .uint16: "UINT16"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .bool: "BOOL"
        case .string: "BYTES"
        default: elementType.description.uppercased()
        }
    }
}

/// A number in a KServe `data` array, kept as an integer when it was written as one.
enum KServeNumber: Sendable, Hashable, Codable {
    case int(Int64)
    case float(Float)
    case double(Double)

    var double: Double {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): Double(value)
        case .double(let value): value
        }
    }

    var int64: Int64 {
        switch self {
        case .int(let value): value
        case .float(let value): Int64(exactly: value.rounded(.towardZero)) ?? 0
        case .double(let value): Int64(exactly: value.rounded(.towardZero)) ?? 0
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .int(value ? 1 : 0)
        } else {
            self = .double(try container.decode(Double.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        }
    }
}

/// A KServe `data` field: a flat or nested array of numbers (row-major).
struct KServeData: Decodable, Sendable {
    var values: [KServeNumber]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(KServeNumber.self) {
            values = [number]
        } else {
            values = try container.decode([KServeData].self).flatMap(\.values)
        }
    }
}
