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
    /// - Throws: ``KServeValueError`` for the first number the datatype cannot hold as given (a fraction or an
    ///   out-of-range number for an integer type, a boolean for a number type).
    let tensor: @Sendable (_ shape: [Int], _ data: [KServeNumber]) throws(KServeValueError) -> Tensor
    /// The tensor's elements as numbers; `nil` when the tensor holds another type.
    let values: @Sendable (Tensor) -> [KServeNumber]?

    /// The datatypes the engine's ``Tensor`` holds today.
    static let supported: [KServeDatatype] = [
        KServeDatatype(
            name: "FP32", elementType: .float,
            tensor: { shape, data throws(KServeValueError) in
                // beyond ±3.4e38 a Float is infinite: refused, as an INT64 that does not fit is
                Tensor(shape: shape, floats: try converted(data) { $0.double.map(Float.init).flatMap { $0.isFinite ? $0 : nil } })
            },
            values: { $0.floats?.map(KServeNumber.float) }),
        KServeDatatype(
            name: "FP64", elementType: .double,
            tensor: { shape, data throws(KServeValueError) in
                Tensor(shape: shape, doubles: try converted(data) { $0.double })
            },
            values: { $0.doubles?.map(KServeNumber.double) }),
        KServeDatatype(
            name: "INT64", elementType: .int64,
            tensor: { shape, data throws(KServeValueError) in
                Tensor(shape: shape, int64s: try converted(data) { $0.int64 })
            },
            values: { $0.int64s?.map(KServeNumber.int) }),
    ]

    /// Each number converted, or the first one `convert` refuses.
    private static func converted<Element>(
        _ data: [KServeNumber], _ convert: (KServeNumber) -> Element?
    ) throws(KServeValueError) -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(data.count)
        for (index, number) in data.enumerated() {
            guard let element = convert(number) else { throw KServeValueError(index: index, number: number) }
            elements.append(element)
        }
        return elements
    }

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

/// A number in a KServe `data` array, kept as an integer when it was written as one (a JSON boolean is kept as
/// one too: no datatype served here takes booleans, so it is refused rather than read as 0 or 1).
enum KServeNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int64)
    case float(Float)
    case double(Double)
    case bool(Bool)

    /// The number as a `Double`; `nil` for a boolean.
    var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): Double(value)
        case .double(let value): value
        case .bool: nil
        }
    }

    /// The number as an `Int64` when it is a whole number in range (`2.0` is, `2.7` and `1e300` are not); `nil`
    /// otherwise and for a boolean.
    var int64: Int64? {
        switch self {
        case .int(let value): value
        case .float(let value): Int64(exactly: value)
        case .double(let value): Int64(exactly: value)
        case .bool: nil
        }
    }

    /// As the request wrote it, e.g. `2.7` or `true`.
    var description: String {
        switch self {
        case .int(let value): "\(value)"
        case .float(let value): "\(value)"
        case .double(let value): "\(value)"
        case .bool(let value): "\(value)"
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
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
        case .bool(let value): try container.encode(value)
        }
    }
}

/// A number in a request's `data` that its datatype cannot hold as given.
struct KServeValueError: Error {
    /// Its position in the flattened `data`.
    let index: Int
    /// The number as given.
    let number: KServeNumber
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
