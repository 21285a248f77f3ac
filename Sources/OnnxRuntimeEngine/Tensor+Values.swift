// MARK: - Typed access

extension Tensor {
    /// The elements as `Scalar`s, when the tensor holds that element type.
    ///
    /// ```swift
    /// let ids: [Int32]? = outputs["ids"]?.tensor?.values(as: Int32.self)
    /// ```
    /// - Parameter type: The Swift element type, e.g. `Int32.self`.
    /// - Returns: The elements, or `nil` for another element type.
    public func values<Scalar: TensorScalar>(as type: Scalar.Type = Scalar.self) -> [Scalar]? {
        Scalar.values(in: elements)
    }

    /// The elements as `Float`s, when the tensor holds `float`.
    public var floats: [Float]? { values(as: Float.self) }
    /// The elements as `Int64`s, when the tensor holds `int64`.
    public var int64s: [Int64]? { values(as: Int64.self) }
    /// The elements as `Double`s, when the tensor holds `double`.
    public var doubles: [Double]? { values(as: Double.self) }
    /// The elements as `String`s, when the tensor holds `string`.
    public var strings: [String]? { values(as: String.self) }
    /// The elements as `Bool`s, when the tensor holds `bool`.
    public var bools: [Bool]? { values(as: Bool.self) }

    /// The raw bit patterns, when the tensor holds `float16`.
    public var float16Bits: [UInt16]? { if case .float16(let bits) = elements { bits } else { nil } }
    /// The raw bit patterns, when the tensor holds `bfloat16`.
    public var bfloat16Bits: [UInt16]? { if case .bfloat16(let bits) = elements { bits } else { nil } }
    /// The elements widened to `Float` (exactly), when the tensor holds `bfloat16`.
    public var bfloat16AsFloats: [Float]? { bfloat16Bits?.map { Float(bitPattern: UInt32($0) << 16) } }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// Creates a `float16` tensor from Swift `Float16` values (not available on Intel Macs; use
    /// ``init(shape:float16Bits:)`` there).
    /// - Parameters:
    ///   - shape: The dimensions, outermost first.
    ///   - float16s: The elements, row-major.
    public init(shape: [Int], float16s: [Float16]) {
        self.init(shape: shape, float16Bits: float16s.map(\.bitPattern))
    }

    /// The elements as Swift `Float16`s, when the tensor holds `float16` (not available on Intel Macs).
    public var float16s: [Float16]? { float16Bits?.map(Float16.init(bitPattern:)) }
    #endif
}

/// Rounds floats to bfloat16 bit patterns.
enum BFloat16Bits {
    /// The nearest bfloat16 to `value` (round to nearest, ties to even), keeping NaN a quiet NaN.
    /// - Parameter value: The float.
    /// - Returns: The bfloat16 bit pattern.
    static func rounding(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
