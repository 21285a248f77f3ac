/// A Swift type that is the element type of an ONNX tensor: `Bool`, `UInt8`, `Int8`, `UInt16`, `Int16`, `UInt32`,
/// `Int32`, `UInt64`, `Int64`, `Float`, `Double`, `String`, and `Float16` where the platform has it.
///
/// `float16` and `bfloat16` tensors are also reachable as raw bits through ``Tensor/init(shape:float16Bits:)`` and
/// ``Tensor/init(shape:bfloat16Bits:)``; `UInt16` itself means `tensor(uint16)`.
///
/// ```swift
/// let mask = Tensor(shape: [4], [true, false, true, true])
/// let counts: [UInt32]? = tensor.values(as: UInt32.self)
/// ```
public protocol TensorScalar: Sendable, Hashable {
    /// The ONNX element type of a tensor of `Self`.
    static var tensorElementType: TensorElementType { get }
    /// Wraps values as tensor elements.
    /// - Parameter values: The values.
    /// - Returns: The elements.
    static func elements(_ values: [Self]) -> Tensor.Elements
    /// The values, when `elements` holds `Self`.
    /// - Parameter elements: A tensor's elements.
    /// - Returns: The values, or `nil` for another element type.
    static func values(in elements: Tensor.Elements) -> [Self]?
}

extension Bool: TensorScalar {
    /// `bool`.
    public static var tensorElementType: TensorElementType { .bool }
    /// `.bool(values)`.
    public static func elements(_ values: [Bool]) -> Tensor.Elements { .bool(values) }
    /// The values of a `.bool` tensor.
    public static func values(in elements: Tensor.Elements) -> [Bool]? {
        if case .bool(let values) = elements { values } else { nil }
    }
}

extension UInt8: TensorScalar {
    /// `uint8`.
    public static var tensorElementType: TensorElementType { .uint8 }
    /// `.uint8(values)`.
    public static func elements(_ values: [UInt8]) -> Tensor.Elements { .uint8(values) }
    /// The values of a `.uint8` tensor.
    public static func values(in elements: Tensor.Elements) -> [UInt8]? {
        if case .uint8(let values) = elements { values } else { nil }
    }
}

extension Int8: TensorScalar {
    /// `int8`.
    public static var tensorElementType: TensorElementType { .int8 }
    /// `.int8(values)`.
    public static func elements(_ values: [Int8]) -> Tensor.Elements { .int8(values) }
    /// The values of an `.int8` tensor.
    public static func values(in elements: Tensor.Elements) -> [Int8]? {
        if case .int8(let values) = elements { values } else { nil }
    }
}

extension UInt16: TensorScalar {
    /// `uint16`.
    public static var tensorElementType: TensorElementType { .uint16 }
    /// `.uint16(values)`.
    public static func elements(_ values: [UInt16]) -> Tensor.Elements { .uint16(values) }
    /// The values of a `.uint16` tensor.
    public static func values(in elements: Tensor.Elements) -> [UInt16]? {
        if case .uint16(let values) = elements { values } else { nil }
    }
}

extension Int16: TensorScalar {
    /// `int16`.
    public static var tensorElementType: TensorElementType { .int16 }
    /// `.int16(values)`.
    public static func elements(_ values: [Int16]) -> Tensor.Elements { .int16(values) }
    /// The values of an `.int16` tensor.
    public static func values(in elements: Tensor.Elements) -> [Int16]? {
        if case .int16(let values) = elements { values } else { nil }
    }
}

extension UInt32: TensorScalar {
    /// `uint32`.
    public static var tensorElementType: TensorElementType { .uint32 }
    /// `.uint32(values)`.
    public static func elements(_ values: [UInt32]) -> Tensor.Elements { .uint32(values) }
    /// The values of a `.uint32` tensor.
    public static func values(in elements: Tensor.Elements) -> [UInt32]? {
        if case .uint32(let values) = elements { values } else { nil }
    }
}

extension Int32: TensorScalar {
    /// `int32`.
    public static var tensorElementType: TensorElementType { .int32 }
    /// `.int32(values)`.
    public static func elements(_ values: [Int32]) -> Tensor.Elements { .int32(values) }
    /// The values of an `.int32` tensor.
    public static func values(in elements: Tensor.Elements) -> [Int32]? {
        if case .int32(let values) = elements { values } else { nil }
    }
}

extension UInt64: TensorScalar {
    /// `uint64`.
    public static var tensorElementType: TensorElementType { .uint64 }
    /// `.uint64(values)`.
    public static func elements(_ values: [UInt64]) -> Tensor.Elements { .uint64(values) }
    /// The values of a `.uint64` tensor.
    public static func values(in elements: Tensor.Elements) -> [UInt64]? {
        if case .uint64(let values) = elements { values } else { nil }
    }
}

extension Int64: TensorScalar {
    /// `int64`.
    public static var tensorElementType: TensorElementType { .int64 }
    /// `.int64(values)`.
    public static func elements(_ values: [Int64]) -> Tensor.Elements { .int64(values) }
    /// The values of an `.int64` tensor.
    public static func values(in elements: Tensor.Elements) -> [Int64]? {
        if case .int64(let values) = elements { values } else { nil }
    }
}

extension Float: TensorScalar {
    /// `float`.
    public static var tensorElementType: TensorElementType { .float }
    /// `.float(values)`.
    public static func elements(_ values: [Float]) -> Tensor.Elements { .float(values) }
    /// The values of a `.float` tensor.
    public static func values(in elements: Tensor.Elements) -> [Float]? {
        if case .float(let values) = elements { values } else { nil }
    }
}

extension Double: TensorScalar {
    /// `double`.
    public static var tensorElementType: TensorElementType { .double }
    /// `.double(values)`.
    public static func elements(_ values: [Double]) -> Tensor.Elements { .double(values) }
    /// The values of a `.double` tensor.
    public static func values(in elements: Tensor.Elements) -> [Double]? {
        if case .double(let values) = elements { values } else { nil }
    }
}

extension String: TensorScalar {
    /// `string`.
    public static var tensorElementType: TensorElementType { .string }
    /// `.string(values)`.
    public static func elements(_ values: [String]) -> Tensor.Elements { .string(values) }
    /// The values of a `.string` tensor.
    public static func values(in elements: Tensor.Elements) -> [String]? {
        if case .string(let values) = elements { values } else { nil }
    }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: TensorScalar {
    /// `float16`.
    public static var tensorElementType: TensorElementType { .float16 }
    /// `.float16(bits:)` of the values' bit patterns.
    public static func elements(_ values: [Float16]) -> Tensor.Elements { .float16(bits: values.map(\.bitPattern)) }
    /// The values of a `.float16` tensor.
    public static func values(in elements: Tensor.Elements) -> [Float16]? {
        if case .float16(let bits) = elements { bits.map(Float16.init(bitPattern:)) } else { nil }
    }
}
#endif
