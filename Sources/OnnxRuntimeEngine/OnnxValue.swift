/// A value a model returns: a tensor, a sequence of values, or a map.
///
/// Classifiers exported from scikit-learn often end in a ZipMap, whose output is a sequence of maps from class
/// label to probability, one map per input row:
///
/// ```swift
/// let outputs = try await engine.run(["float_input": rows])
/// let labels = outputs["label"]?.tensor?.int64s                           // [Int64]
/// let probabilities = outputs["probabilities"]?.sequence?.compactMap(\.int64FloatMap)  // [[Int64: Float]]
/// ```
public enum OnnxValue: Sendable, Hashable {
    // Not `indirect`: a sequence's elements already live in an array, so no case needs a box of its own (an
    // indirect enum allocates one for every value, tensors included).
    /// A dense tensor.
    case tensor(Tensor)
    /// An ONNX sequence; each element is itself a value.
    case sequence([OnnxValue])
    /// An ONNX map, as ORT exposes it: a tensor of keys and a tensor of values of the same length.
    case map(keys: Tensor, values: Tensor)

    /// The tensor, when the value is one.
    public var tensor: Tensor? { if case .tensor(let tensor) = self { tensor } else { nil } }

    /// The elements, when the value is a sequence.
    public var sequence: [OnnxValue]? { if case .sequence(let elements) = self { elements } else { nil } }

    /// The map as a dictionary, when the value is a map from `int64` keys to `float` values (ZipMap's output).
    public var int64FloatMap: [Int64: Float]? {
        guard case .map(let keys, let values) = self, let keys = keys.int64s, let values = values.floats,
            keys.count == values.count
        else { return nil }
        return Dictionary(zip(keys, values), uniquingKeysWith: { first, _ in first })
    }
}
