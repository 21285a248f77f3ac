/// The file format of a model in the catalog. Formats are open, like ``EngineKind``: `onnx` and `gguf` are
/// named and recognised by file extension; any other name can be stored.
///
/// ```swift
/// let format = ModelFormat(fileExtension: "gguf")   // .gguf
/// format?.defaultEngine                              // .llamacpp
/// ```
public struct ModelFormat: ConfigurationName {
    /// The format's name as written in the catalog, e.g. `"onnx"`.
    public let rawValue: String

    /// Creates a format from its name.
    /// - Parameter rawValue: The name, e.g. `"gguf"`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An ONNX graph (`.onnx`), served by ONNX Runtime.
    public static let onnx = ModelFormat("onnx")
    /// A GGUF file (`.gguf`), served by llama.cpp.
    public static let gguf = ModelFormat("gguf")
    /// A format the library does not recognise; name an engine explicitly to serve it.
    public static let other = ModelFormat("other")

    /// The formats that discovery recognises by file extension.
    public static let recognised: [ModelFormat] = [.onnx, .gguf]

    /// The format a file extension names, compared without case.
    /// - Parameter fileExtension: The extension without the dot, e.g. `"onnx"`.
    /// - Returns: `.onnx` or `.gguf`, or `nil` for any other extension.
    public init?(fileExtension: String) {
        let lowered = fileExtension.lowercased()
        guard let format = Self.recognised.first(where: { $0.rawValue == lowered }) else { return nil }
        self = format
    }

    /// The engine that serves this format by default: `onnx` → `.onnxruntime`, `gguf` → `.llamacpp`, otherwise
    /// `nil`.
    public var defaultEngine: EngineKind? {
        switch self {
        case .onnx: .onnxruntime
        case .gguf: .llamacpp
        default: nil
        }
    }

    /// The model type assumed when none is given: `gguf` → `.llm`, `onnx` → `.tensor`, otherwise `nil`.
    public var defaultModelType: ModelType? {
        switch self {
        case .onnx: .tensor
        case .gguf: .llm
        default: nil
        }
    }
}
