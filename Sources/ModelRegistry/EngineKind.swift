/// The inference engine a model runs on, such as ONNX Runtime or llama.cpp.
///
/// Engine kinds are open: the library names the built-in ones, and an application may add its own by creating a
/// value with any name and registering an engine type for it in an ``EngineFactory``.
///
/// ```swift
/// let kind: EngineKind = .onnxruntime
/// let custom = EngineKind("coreml")
/// ```
public struct EngineKind: ConfigurationName {
    /// The kind's name as written in configuration files, e.g. `"onnxruntime"`.
    public let rawValue: String

    /// Creates a kind from its configuration name.
    /// - Parameter rawValue: The name, e.g. `"llamacpp"`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// ONNX Runtime (`libonnxruntime`).
    public static let onnxruntime = EngineKind("onnxruntime")
    /// llama.cpp (`libllama`).
    public static let llamacpp = EngineKind("llamacpp")
}
