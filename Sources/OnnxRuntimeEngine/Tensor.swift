/// A dense tensor: a shape and its elements in row-major order, held in Swift memory.
///
/// A tensor holds any ONNX element type a Swift program can represent: `bool`, the eight integer types, `float16`
/// and `bfloat16` (as raw bits; ``init(shape:float16s:)`` takes Swift `Float16` where the platform has it), `float`,
/// `double` and `string`. Tensors are plain values: creating one never fails. The engine checks a tensor against
/// the model (element type, shape, element count) before any native code sees it, and hands numeric storage to ONNX
/// Runtime without copying it.
///
/// ```swift
/// let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
/// let ids = Tensor(shape: [2], [7, 9] as [Int32])
/// let words = Tensor(shape: [2], strings: ["Hello", "World"])
/// let y = try await engine.run(["X": x])["Y"]?.tensor?.floats   // [Float]
/// ```
public struct Tensor: Sendable, Hashable, CustomStringConvertible {
    /// The elements of a tensor, typed; one case per ONNX element type.
    public enum Elements: Sendable, Hashable {
        /// `tensor(bool)`.
        case bool([Bool])
        /// `tensor(uint8)`.
        case uint8([UInt8])
        /// `tensor(int8)`.
        case int8([Int8])
        /// `tensor(uint16)`.
        case uint16([UInt16])
        /// `tensor(int16)`.
        case int16([Int16])
        /// `tensor(uint32)`.
        case uint32([UInt32])
        /// `tensor(int32)`.
        case int32([Int32])
        /// `tensor(uint64)`.
        case uint64([UInt64])
        /// `tensor(int64)`.
        case int64([Int64])
        /// `tensor(float16)`: IEEE 754 half precision, as raw bit patterns.
        case float16(bits: [UInt16])
        /// `tensor(bfloat16)`: the upper 16 bits of a `Float`, as raw bit patterns.
        case bfloat16(bits: [UInt16])
        /// `tensor(float)`.
        case float([Float])
        /// `tensor(double)`.
        case double([Double])
        /// `tensor(string)`: UTF-8 strings.
        case string([String])
    }

    /// The element types a `Tensor` can hold.
    public static let supportedElementTypes: Set<TensorElementType> = [
        .bool, .uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64, .float16, .bfloat16, .float,
        .double, .string,
    ]

    /// Whether a `Tensor` can hold elements of `type` (one of ``supportedElementTypes``), without hashing.
    static func canHold(_ type: TensorElementType) -> Bool {
        switch type {
        case .bool, .uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64, .float16, .bfloat16, .float,
            .double, .string:
            true
        case .undefined, .complex64, .complex128, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz,
            .uint4, .int4, .float4e2m1:
            false
        }
    }

    /// The dimensions, outermost first; `[]` is a scalar.
    public var shape: [Int]
    /// The elements, row-major.
    public var elements: Elements

    /// Creates a tensor from typed elements.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - elements: The elements, row-major; their count should be the product of `shape`.
    public init(shape: [Int], elements: Elements) {
        self.shape = shape
        self.elements = elements
    }

    /// Creates a tensor of any element type that has a Swift counterpart (``TensorScalar``).
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - values: The elements, row-major.
    public init<Scalar: TensorScalar>(shape: [Int], _ values: [Scalar]) {
        self.init(shape: shape, elements: Scalar.elements(values))
    }

    /// Creates a `float` tensor.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - floats: The elements, row-major.
    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, elements: .float(floats)) }

    /// Creates an `int64` tensor.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - int64s: The elements, row-major.
    public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, elements: .int64(int64s)) }

    /// Creates a `double` tensor.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - doubles: The elements, row-major.
    public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, elements: .double(doubles)) }

    /// Creates a `string` tensor.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - strings: The elements, row-major.
    public init(shape: [Int], strings: [String]) { self.init(shape: shape, elements: .string(strings)) }

    /// Creates a `float16` tensor from raw IEEE half-precision bit patterns.
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - float16Bits: The elements' bit patterns, row-major.
    public init(shape: [Int], float16Bits: [UInt16]) { self.init(shape: shape, elements: .float16(bits: float16Bits)) }

    /// Creates a `bfloat16` tensor from raw bit patterns (the upper half of a `Float`'s bits).
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - bfloat16Bits: The elements' bit patterns, row-major.
    public init(shape: [Int], bfloat16Bits: [UInt16]) {
        self.init(shape: shape, elements: .bfloat16(bits: bfloat16Bits))
    }

    /// Creates a `bfloat16` tensor from floats, rounding each to the nearest bfloat16 (ties to even; NaN stays NaN).
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - bfloat16From: The values, row-major.
    public init(shape: [Int], bfloat16From floats: [Float]) {
        self.init(shape: shape, bfloat16Bits: floats.map(BFloat16Bits.rounding))
    }

    /// The element type.
    public var elementType: TensorElementType {
        switch elements {
        case .bool: .bool
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float16: .float16
        case .bfloat16: .bfloat16
        case .float: .float
        case .double: .double
        case .string: .string
        }
    }

    /// The number of elements held.
    public var count: Int {
        switch elements {
        case .bool(let values): values.count
        case .uint8(let values): values.count
        case .int8(let values): values.count
        case .uint16(let values), .float16(let values), .bfloat16(let values): values.count
        case .int16(let values): values.count
        case .uint32(let values): values.count
        case .int32(let values): values.count
        case .uint64(let values): values.count
        case .int64(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .string(let values): values.count
        }
    }

    /// The number of elements the shape calls for, or `nil` when a dimension is negative or the count overflows
    /// `Int` (no tensor can hold that many).
    public var shapeElementCount: Int? { Self.elementCount(of: shape) }

    /// The number of elements `shape` calls for, or `nil` when a dimension is negative or the product overflows
    /// `Int`. Every count taken from a caller's shape goes through here, so that a shape such as `[2^62, 4]` is an
    /// error instead of an overflow trap.
    package static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// E.g. `tensor(float)[3, 2]`.
    public var description: String {
        "tensor(\(elementType))[\(shape.map(String.init).joined(separator: ", "))]"
    }
}
