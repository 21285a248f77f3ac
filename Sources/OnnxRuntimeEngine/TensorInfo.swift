/// The declared type of a model input or output.
///
/// Dimensions are `-1` where the model leaves them free (symbolic or unknown), e.g. a batch dimension.
public indirect enum OnnxValueType: Sendable, Hashable, CustomStringConvertible {
    /// A tensor of the element type, with the declared shape.
    case tensor(elementType: TensorElementType, shape: [Int64])
    /// A sequence of values of one type.
    case sequence(OnnxValueType)
    /// A map from scalar keys to values.
    case map(key: TensorElementType, value: OnnxValueType)
    /// A type this library does not describe further (`opaque`, `sparse_tensor`, `optional`).
    case other(String)

    /// ONNX's spelling of the type without shapes, as ONNX Runtime's Python API prints it, e.g. `tensor(float)`
    /// or `seq(map(int64,tensor(float)))`.
    public var typeName: String {
        switch self {
        case .tensor(let elementType, _): "tensor(\(elementType))"
        case .sequence(let element): "seq(\(element.typeName))"
        case .map(let key, let value): "map(\(key),\(value.typeName))"
        case .other(let name): name
        }
    }

    /// The type name, followed by the shape for tensors, e.g. `tensor(float)[3, 2]`.
    public var description: String {
        guard case .tensor(_, let shape) = self else { return typeName }
        return "\(typeName)[\(shape.map(String.init).joined(separator: ", "))]"
    }
}

/// The name and declared type of one model input or output, read when the model loads.
///
/// ```swift
/// for input in engine.inputs { print(input) }   // float_input: tensor(float)[3, 2]
/// ```
public struct TensorInfo: Sendable, Hashable, CustomStringConvertible {
    /// The input or output name, as `run(_:)` expects and returns it.
    public let name: String
    /// The declared type.
    public let type: OnnxValueType

    /// Creates a description.
    /// - Parameters:
    ///   - name: The input or output name.
    ///   - type: The declared type.
    public init(name: String, type: OnnxValueType) {
        self.name = name
        self.type = type
    }

    /// The element type, when the value is a tensor.
    public var elementType: TensorElementType? {
        if case .tensor(let elementType, _) = type { elementType } else { nil }
    }

    /// The declared shape (-1 for free dimensions), when the value is a tensor.
    public var shape: [Int64]? {
        if case .tensor(_, let shape) = type { shape } else { nil }
    }

    /// `name: type`, e.g. `float_input: tensor(float)[3, 2]`.
    public var description: String { "\(name): \(type)" }
}
