/// What a loaded ONNX model declares: its inputs and outputs, and the metadata stored in the file.
///
/// ```swift
/// try await engine.load(context)
/// if let info = engine.modelInfo { print(info.producerName, info.inputs, info.outputs) }
/// ```
public struct OnnxModelInfo: Sendable, Hashable {
    /// The inputs, in the model's order.
    public let inputs: [TensorInfo]
    /// The outputs, in the model's order.
    public let outputs: [TensorInfo]
    /// The tool that wrote the model, e.g. `"OnnxMLTools"`.
    public let producerName: String
    /// The graph's name.
    public let graphName: String
    /// The model's domain, e.g. `"onnxml"`.
    public let domain: String
    /// The model's documentation string.
    public let modelDescription: String
    /// The model's version number.
    public let version: Int64

    /// Creates a model description.
    /// - Parameters:
    ///   - inputs: The inputs, in order.
    ///   - outputs: The outputs, in order.
    ///   - producerName: The tool that wrote the model.
    ///   - graphName: The graph's name.
    ///   - domain: The model's domain.
    ///   - modelDescription: The documentation string.
    ///   - version: The version number.
    public init(
        inputs: [TensorInfo], outputs: [TensorInfo], producerName: String, graphName: String, domain: String,
        modelDescription: String, version: Int64
    ) {
        self.inputs = inputs
        self.outputs = outputs
        self.producerName = producerName
        self.graphName = graphName
        self.domain = domain
        self.modelDescription = modelDescription
        self.version = version
    }
}
