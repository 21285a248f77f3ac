/// A dense tensor: a shape and its elements in row-major order, held in Swift memory.
///
/// Tensors are plain values: creating one never fails. The engine checks a tensor against the model (element type,
/// shape, element count) before any native code sees it.
///
/// ```swift
/// let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
/// let outputs = try await engine.run(["X": x])
/// let y = outputs["Y"]?.tensor?.floats   // [Float]
/// ```
public struct Tensor: Sendable, Hashable, CustomStringConvertible {
    /// The elements of a tensor, typed.
    public enum Elements: Sendable, Hashable {
        /// 32-bit floats (`tensor(float)`).
        case float([Float])
        /// 64-bit signed integers (`tensor(int64)`).
        case int64([Int64])
        /// 64-bit floats (`tensor(double)`).
        case double([Double])
    }

    /// The element types a `Tensor` can hold.
    public static let supportedElementTypes: Set<TensorElementType> = [.float, .int64, .double]

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

    /// The element type.
    public var elementType: TensorElementType {
        switch elements {
        case .float: .float
        case .int64: .int64
        case .double: .double
        }
    }

    /// The number of elements held.
    public var count: Int {
        switch elements {
        case .float(let values): values.count
        case .int64(let values): values.count
        case .double(let values): values.count
        }
    }

    /// The number of elements the shape calls for, or `nil` when a dimension is negative.
    public var shapeElementCount: Int? {
        shape.contains { $0 < 0 } ? nil : shape.reduce(1, *)
    }

    /// The elements as `Float`s, when the tensor holds `float`.
    public var floats: [Float]? { if case .float(let values) = elements { values } else { nil } }
    /// The elements as `Int64`s, when the tensor holds `int64`.
    public var int64s: [Int64]? { if case .int64(let values) = elements { values } else { nil } }
    /// The elements as `Double`s, when the tensor holds `double`.
    public var doubles: [Double]? { if case .double(let values) = elements { values } else { nil } }

    /// E.g. `tensor(float)[3, 2]`.
    public var description: String {
        "tensor(\(elementType))[\(shape.map(String.init).joined(separator: ", "))]"
    }
}
